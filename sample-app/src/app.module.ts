import { Module, type DynamicModule } from '@nestjs/common';
import { ApiErrorsModule } from 'nest-api-errors';
import type { SampleAppConfig } from './config.js';
import { LocationsController } from './locations/locations.controller.js';
import { SystemController } from './system/system.controller.js';

@Module({})
export class AppModule {
  static register(config: SampleAppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ApiErrorsModule.forRoot({ format: config.format })],
      controllers: [SystemController, LocationsController],
    };
  }
}
