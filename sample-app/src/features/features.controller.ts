import { Controller, Get } from '@nestjs/common';
import { RequireFeature } from 'nest-api-errors';

/** Which lowest tier includes each feature; null is sold only as an add-on. */
export const FEATURES = {
  api_access: 'authority',
  bulk_export: 'network',
  analytics: 'local',
  webhooks: null,
} as const;

/** Plan-gated routes: each answers only principals entitled to its feature. */
@Controller('v1')
export class FeaturesController {
  @Get('reports')
  @RequireFeature('api_access')
  reports() {
    return { feature: 'api_access', ok: true };
  }

  @Get('exports')
  @RequireFeature('bulk_export')
  exports() {
    return { feature: 'bulk_export', ok: true };
  }

  @Get('analytics')
  @RequireFeature('analytics')
  analytics() {
    return { feature: 'analytics', ok: true };
  }

  @Get('webhooks')
  @RequireFeature('webhooks')
  webhooks() {
    return { feature: 'webhooks', ok: true };
  }
}
