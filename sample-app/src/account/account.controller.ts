import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import {
  ApiErrorResponse,
  ApiKeyService,
  NotFoundApiException,
  Principal,
  type ApiPrincipal,
  type AuthAuditEvent,
} from 'nest-api-errors';

/** The caller's own key: who it is, its audit trail, and revocation. */
@Controller('v1')
export class AccountController {
  constructor(private readonly keys: ApiKeyService) {}

  @Get('me')
  me(@Principal() principal: ApiPrincipal) {
    const { keyId, organizationId, tier, scopes } = principal;
    return { keyId, organizationId, tier, scopes };
  }

  /** Recent authentication events of a key of the caller's organization, newest first. */
  @Get('keys/:keyId/audit-events')
  @ApiErrorResponse('not_found', 'API key not found')
  async auditEvents(
    @Principal() principal: ApiPrincipal,
    @Param('keyId') keyId: string,
  ): Promise<{ events: AuthAuditEvent[] }> {
    await this.ownKey(principal, keyId);
    return { events: this.keys.auditEvents(keyId) };
  }

  /** Revokes a key of the caller's organization; the next request with it gets 401. */
  @Delete('keys/:keyId')
  @ApiErrorResponse('not_found', 'API key not found')
  @HttpCode(204)
  async revoke(@Principal() principal: ApiPrincipal, @Param('keyId') keyId: string): Promise<void> {
    await this.ownKey(principal, keyId);
    await this.keys.revoke(keyId);
  }

  /** Another organization's key is answered exactly like a key that does not exist. */
  private async ownKey(principal: ApiPrincipal, keyId: string): Promise<void> {
    const record = await this.keys.findById(keyId);
    if (!record || record.organizationId !== principal.organizationId) {
      throw new NotFoundApiException('API key not found');
    }
  }
}
