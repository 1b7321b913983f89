import { Controller, Get, Param } from '@nestjs/common';
import { Tenant } from 'nest-api-errors';

/** Store-scoped routes: the key's organization must be the store. */
@Controller('v1/stores/:storeId')
@Tenant({ param: 'storeId', message: 'API key does not authorize this store' })
export class StoresController {
  @Get('orders')
  orders(@Param('storeId') storeId: string) {
    return {
      orders: [
        { id: 'ord_1001', storeId, total: 4200, currency: 'EUR' },
        { id: 'ord_1002', storeId, total: 1850, currency: 'EUR' },
      ],
    };
  }
}
