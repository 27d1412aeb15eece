import { randomInt } from 'node:crypto';
import { webchatClient, type ApiAnswer } from '../channels/webchat/client';
import { fixture, newCitizenId } from './conversation';

/** Every web chat call from its own client IP, so the per-IP limits of the API never decide a test. */
const someIp = () => ({ 'x-forwarded-for': `10.${randomInt(1, 250)}.${randomInt(0, 250)}.${randomInt(1, 250)}` });

export const replyText = (res: ApiAnswer): string => res.body.replies.map((r: { text: string }) => r.text).join('\n');

/** One applicant on the association's website, talking to the web chat HTTP API as the widget does. */
export class WebchatApplicant {
  readonly api: ReturnType<typeof webchatClient>;
  token?: string;

  constructor(baseUrl: string) {
    this.api = webchatClient(baseUrl, someIp);
  }

  async send(body: { text?: string; payload?: string }): Promise<ApiAnswer> {
    const res = await this.api.post({ ...body, conversationId: this.token });
    if (res.status !== 200) throw new Error(`web chat answered ${res.status}: ${JSON.stringify(res.body)}`);
    this.token = res.body.conversationId;
    return res;
  }

  async upload(name: string, type: string): Promise<ApiAnswer> {
    const form = new FormData();
    form.set('conversationId', this.token!);
    form.set('file', new Blob([fixture(name)], { type }), name);
    const res = await this.api.postForm(form);
    if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  /** Every text the applicant has been sent so far (the widget's transcript). */
  async transcript(): Promise<{ text: string; author: string; expecting?: { slot: string } }[]> {
    const res = await this.api.transcript(this.token!);
    if (res.status !== 200) throw new Error(`transcript answered ${res.status}`);
    return res.body.messages;
  }

  /**
   * A whole support request: consent, name, ID, mobile, a centre of the service area, other aid,
   * the three documents as real uploads, declaration. Returns the reference the bot gave.
   */
  async submitRequest(options: { fullName: string; nationalId?: string; otherAssociations?: string }): Promise<{ reference: string; nationalId: string }> {
    const nationalId = options.nationalId ?? newCitizenId();
    await this.send({ payload: 'flow:support-request' });
    await this.send({ payload: 'yes' });
    await this.send({ text: options.fullName });
    await this.send({ text: nationalId });
    const residence = await this.send({ text: '0551234567' });
    const place = residence.body.expecting.options.find((o: { label: string }) => o.label === 'القيصومة');
    await this.send({ payload: place.value });
    if (options.otherAssociations) {
      await this.send({ text: 'نعم' });
      await this.send({ text: options.otherAssociations });
    } else {
      await this.send({ text: 'لا' });
    }
    await this.upload('id-card.jpg', 'image/jpeg');
    await this.upload('family-book.png', 'image/png');
    await this.upload('residence-proof.pdf', 'application/pdf');
    const done = await this.send({ text: 'نعم' });
    const reference = /HB-\d{4}-\d{6}/.exec(replyText(done))?.[0];
    if (!reference) throw new Error(`no reference in: ${replyText(done)}`);
    return { reference, nationalId };
  }
}
