import { graphRequestSpan } from './graph-request-span.js';

describe('graphRequestSpan', () => {
  it('names a request by method and path template: no ids, no query', () => {
    const { name, settings } = graphRequestSpan(
      'GET',
      'https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations/5a0a2b56-8f2e-4c3b-9a1d-0c1e2f3a4b5c/assignments?$skiptoken=abc&$select=id',
      'contoso.onmicrosoft.com',
    );
    expect(name).toBe('GET /beta/deviceManagement/deviceConfigurations/{id}/assignments');
    expect(settings.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': 'graph.microsoft.com',
      'url.path': '/beta/deviceManagement/deviceConfigurations/5a0a2b56-8f2e-4c3b-9a1d-0c1e2f3a4b5c/assignments',
      'url.template': '/beta/deviceManagement/deviceConfigurations/{id}/assignments',
      'policyvault.directory_id': 'contoso.onmicrosoft.com',
    });
  });
});
