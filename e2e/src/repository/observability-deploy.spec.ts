// The observability profile cannot be run here (no Docker engine): its files are checked instead. Prometheus
// scrapes every app on the port docker-compose gives it (every replica, by DNS), and Grafana is provisioned
// with a Prometheus data source and the dashboard from the folder it mounts. That the dashboard's queries name
// metrics the services expose is proven against live services in e2e/src/metrics.e2e-spec.ts.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';

interface ComposeService {
  image?: string;
  profiles?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const apps = readdirSync('apps').filter((name) => existsSync(`apps/${name}/src/main.ts`));
const prometheus = parse(readFileSync('deploy/prometheus/prometheus.yml', 'utf8')) as {
  scrape_configs: { job_name: string; metrics_path?: string; dns_sd_configs: { names: string[]; type: string; port: number }[] }[];
};

describe('the observability profile (Prometheus and Grafana)', () => {
  it('scrapes /metrics of every app, every replica, on its compose port', () => {
    expect(prometheus.scrape_configs.map((job) => job.job_name).sort()).toEqual([...apps].sort());
    for (const job of prometheus.scrape_configs) {
      expect(job.metrics_path ?? '/metrics').toBe('/metrics');
      expect(job.dns_sd_configs).toEqual([{ names: [job.job_name], type: 'A', port: Number(compose.services[job.job_name].environment?.PORT) }]);
    }
    expect(compose.services.prometheus).toMatchObject({ profiles: ['observability'] });
    expect(compose.services.prometheus.volumes).toContain('./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
  });

  it('provisions Grafana with Prometheus and the PolicyVault dashboard', () => {
    const grafana = compose.services.grafana;
    expect(grafana).toMatchObject({ profiles: ['observability'] });
    expect(grafana.volumes).toEqual(['./deploy/grafana/provisioning:/etc/grafana/provisioning:ro', './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro']);
    const datasources = parse(readFileSync('deploy/grafana/provisioning/datasources/prometheus.yml', 'utf8')) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = parse(readFileSync('deploy/grafana/provisioning/dashboards/policyvault.yml', 'utf8')) as { providers: { options: { path: string } }[] };
    expect(providers.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    const dashboard = JSON.parse(readFileSync('deploy/grafana/dashboards/policyvault.json', 'utf8')) as {
      uid: string;
      panels: { id: number; type: string; datasource?: { uid: string }; targets?: { expr: string; datasource: { uid: string } }[] }[];
    };
    expect(dashboard.uid).toBe('policyvault');
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels.filter((candidate) => candidate.type !== 'row')) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource.uid).toBe('prometheus');
    }
  });
});
