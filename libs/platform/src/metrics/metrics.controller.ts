import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from './metrics-registry.js';

/** `GET /metrics`: the process's registry in Prometheus text format, next to /health, on the service's HTTP port. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
