import { Router } from 'express';
import QRCode from 'qrcode';
import { requireRole } from './auth/guard';

/** The WhatsApp Web link as the console shows it (the channel's LinkStatus snapshot). */
export interface LinkView {
  state: string;
  since: Date;
  qr?: string;
  attempt: number;
  retryAt?: Date;
  reason?: string;
}

/**
 * GET /api/console/whatsapp-web: where the link to the association's phone stands and, while it
 * waits for a scan, the QR as an SVG image. Admins only: whoever scans it links the number.
 */
export function whatsappWebRoutes(deps: { link: () => LinkView }): Router {
  const router = Router();

  router.get('/whatsapp-web', requireRole('admin'), async (_req, res) => {
    const link = deps.link();
    const qr = link.state === 'qr' && link.qr ? await qrDataUrl(link.qr) : null;
    res.json({
      state: link.state,
      since: link.since.toISOString(),
      qr,
      attempt: link.attempt,
      retryAt: link.retryAt?.toISOString() ?? null,
      reason: link.reason ?? null,
    });
  });

  return router;
}

/** An <img>-ready SVG: nothing is injected into the page's markup. */
async function qrDataUrl(qr: string): Promise<string> {
  const svg = await QRCode.toString(qr, { type: 'svg', margin: 2, errorCorrectionLevel: 'L' });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
