import { SpanKind, type SpanSettings } from '@policyvault/platform';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A Graph request's client span: named by method and path template (`GET /beta/deviceManagement/
 * deviceConfigurations/{id}`), never the query (`$skiptoken`, filters) or a token; the path itself and the
 * customer directory as attributes. One span per call, covering its pacing waits and retries
 * (`http.request.resend_count`).
 */
export function graphRequestSpan(method: string, url: string, directoryId: string): { name: string; settings: SpanSettings } {
  const { pathname, host } = new URL(url);
  const template = pathname.replace(GUID, '{id}');
  return {
    name: `${method} ${template}`,
    settings: {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': host,
        'url.path': pathname,
        'url.template': template,
        'policyvault.directory_id': directoryId,
      },
    },
  };
}
