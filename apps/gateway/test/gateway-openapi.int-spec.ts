import request from 'supertest';
import { API_ROUTES, documentedRoutes } from './api-routes.js';
import { startGatewayInProcess, type GatewayFixture } from './gateway.fixture.js';

describe('gateway OpenAPI document', () => {
  let gateway: GatewayFixture;

  beforeAll(async () => {
    gateway = await startGatewayInProcess();
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('lists every API route at /docs-json, each behind a bearer token and documenting 401', async () => {
    const { body: document } = await request(gateway.http).get('/docs-json').expect(200);
    expect(documentedRoutes(document).sort()).toEqual([...API_ROUTES].sort());
    const operations = Object.entries(document.paths as Record<string, Record<string, { security?: unknown; responses: object }>>).flatMap(
      ([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method} ${path}`, operation })),
    );
    for (const { route, operation } of operations) {
      expect({ route, security: operation.security }).toEqual({ route, security: [{ bearer: [] }] });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401']));
      if (route.includes('{tenantId}')) expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '403']));
    }
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents the query parameters and the 404 of the backup store routes', async () => {
    const { body: document } = await request(gateway.http).get('/docs-json').expect(200);
    type Operation = { parameters: { name: string; in: string; schema: { pattern?: string } }[]; responses: object };
    const policies = document.paths['/api/tenants/{tenantId}/policies'].get as Operation;
    const query = Object.fromEntries(policies.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => [parameter.name, parameter.schema]));
    expect(Object.keys(query).sort()).toEqual(['cursor', 'limit', 'policyType', 'search']);
    expect(query.policyType.pattern).toBe('^[a-zA-Z][a-zA-Z0-9]{1,63}$');
    for (const path of ['/policies/{policyId}/versions', '/policy-versions/{versionId}', '/backup-sets/{setId}', '/backup-sets/{setId}/items', '/backup-sets/{setId}/export', '/backup-sets/{setId}/report']) {
      expect({ path, responses: Object.keys((document.paths[`/api/tenants/{tenantId}${path}`].get as Operation).responses) }).toEqual({
        path,
        responses: expect.arrayContaining(['200', '400', '401', '403', '404', '503']),
      });
    }
  });

  it('serves the interactive documentation at /docs', async () => {
    const response = await request(gateway.http).get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toMatch(/swagger/i);
  });
});
