import QRCode from 'qrcode';

/** The QR as terminal block characters (half-height rows), to scan straight from the server's output. */
export function terminalQr(qr: string): Promise<string> {
  return QRCode.toString(qr, { type: 'terminal', small: true });
}
