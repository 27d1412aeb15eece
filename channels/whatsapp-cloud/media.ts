import type { Logger } from '../../src/log';
import { MediaTooLargeError, type GraphClient, type MediaInfo } from './graph';
import type { MediaFile, MediaResolver } from './inbound';
import type { WebhookMedia } from './webhook';

/**
 * Media in: the webhook names a media id; the Graph API gives its URL, type and size; the bytes
 * behind the URL need the token. The size is asked before the turn, so a file over the limit is
 * refused by its declared size without downloading it, and the download stops past the limit anyway.
 */
export function mediaResolver(graph: GraphClient, maxBytes: number, log: Logger): MediaResolver {
  return async (media: WebhookMedia): Promise<MediaFile> => {
    let info: MediaInfo | undefined;
    try {
      info = await graph.mediaInfo(media.id);
    } catch (err) {
      // The download below asks again; if it fails too, the person is asked to send the file again.
      log.warn({ err, mediaId: media.id }, 'WhatsApp media lookup failed');
    }
    return {
      size: info?.size,
      mime: info?.mime ?? media.mime_type,
      fetch: async () => {
        const where = info ?? (await graph.mediaInfo(media.id));
        if (where.size !== undefined && where.size > maxBytes) throw new MediaTooLargeError(where.size);
        return graph.download(where.url, maxBytes);
      },
    };
  };
}
