import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientProxyFactory,
  MessagePattern,
  Transport,
  type ClientProxy,
} from '@nestjs/microservices';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { firstValueFrom } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import {
  ApiErrorsModule,
  InMemoryApiKeyStore,
  Public,
  RequireFeature,
  type ApiErrorsModuleOptions,
} from 'nest-api-errors';
import { CapturingLogger, PLATFORMS } from './support/harness.js';
import { freePort } from './support/processes.js';
import { keyRecord } from './support/test-app.js';

// A hybrid app: HTTP, a TCP microservice sharing the app's guards and filters
// (inheritAppConfig), and a socket.io gateway. None of them carries an API key the guards can
// read, so what is not @Public() is refused unless the app opts the transport out.

/** Which handlers ran, so that a refusal is proven by the handler not running. */
const ran: string[] = [];

@Controller()
class RpcHandlers {
  @Get('http/secret')
  httpSecret(): { secret: true } {
    ran.push('http:secret');
    return { secret: true };
  }

  @MessagePattern('secret')
  secret(): { secret: true } {
    ran.push('rpc:secret');
    return { secret: true };
  }

  @Public()
  @MessagePattern('ping')
  ping(): string {
    ran.push('rpc:ping');
    return 'pong';
  }

  @Public()
  @RequireFeature('exports')
  @MessagePattern('export')
  export(): string {
    ran.push('rpc:export');
    return 'exported';
  }
}

@WebSocketGateway()
class Events {
  @SubscribeMessage('secret')
  secret(): string {
    ran.push('ws:secret');
    return 'secret';
  }

  @Public()
  @SubscribeMessage('ping')
  ping(): string {
    ran.push('ws:ping');
    return 'pong';
  }
}

@Module({})
class HybridModule {
  static register(options: ApiErrorsModuleOptions): DynamicModule {
    return {
      module: HybridModule,
      imports: [ApiErrorsModule.forRoot(options)],
      controllers: [RpcHandlers],
      providers: [Events],
    };
  }
}

interface Hybrid {
  readonly app: INestApplication;
  readonly url: string;
  readonly rpc: ClientProxy;
  readonly logger: CapturingLogger;
}

async function startHybrid(
  platform: (typeof PLATFORMS)[number],
  options: ApiErrorsModuleOptions,
): Promise<Hybrid> {
  const logger = new CapturingLogger();
  const module = HybridModule.register(options);
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger, abortOnError: false })
      : await NestFactory.create(module, new ExpressAdapter(), { logger, abortOnError: false });
  app.useWebSocketAdapter(new IoAdapter(app));
  const port = await freePort();
  app.connectMicroservice(
    { transport: Transport.TCP, options: { host: '127.0.0.1', port } },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const rpc = ClientProxyFactory.create({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port },
  });
  await rpc.connect();
  return { app, url: `http://127.0.0.1:${address.port}`, rpc, logger };
}

/** Connects a socket.io client and waits until it is connected. */
async function connect(url: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The first `exception` event, as Nest's WebSocket exception filter sends it. */
function nextException(socket: Socket): Promise<unknown> {
  return new Promise((resolve) => socket.once('exception', resolve));
}

/**
 * A hybrid app and a connected socket for the tests of the enclosing block, closed after them.
 * Returns getters, valid once the tests run.
 */
function useHybrid(platform: (typeof PLATFORMS)[number], options: ApiErrorsModuleOptions) {
  let running: Hybrid | undefined;
  let client: Socket | undefined;
  beforeAll(async () => {
    running = await startHybrid(platform, options);
    client = await connect(running.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await running?.rpc.close();
    await running?.app.close();
  });
  return {
    hybrid: () => running as Hybrid,
    socket: () => client as Socket,
  };
}

const store = new InMemoryApiKeyStore([keyRecord('k_1', 'transport_key_0001')]);

describe.each(PLATFORMS)('other transports on %s, with API keys', (platform) => {
  const { hybrid, socket } = useHybrid(platform, {
    apiKeys: { store },
    entitlements: { features: { exports: 'authority' } },
  });

  it('refuses an RPC handler that is not @Public(), with the 401 as an RPC error', async () => {
    ran.length = 0;
    await expect(firstValueFrom(hybrid().rpc.send('secret', {}))).rejects.toEqual({
      status: 'error',
      message: 'Invalid or missing API key',
      code: 'unauthorized',
      statusCode: 401,
    });
    expect(ran).toEqual([]);
  });

  it('serves a @Public() RPC handler', async () => {
    ran.length = 0;
    await expect(firstValueFrom(hybrid().rpc.send('ping', {}))).resolves.toBe('pong');
    expect(ran).toEqual(['rpc:ping']);
  });

  it('refuses a @Public() RPC handler that requires a feature: there is no principal', async () => {
    ran.length = 0;
    await expect(firstValueFrom(hybrid().rpc.send('export', {}))).rejects.toMatchObject({
      code: 'feature_not_entitled',
      statusCode: 403,
    });
    expect(ran).toEqual([]);
  });

  it('refuses a WebSocket message handler that is not @Public()', async () => {
    ran.length = 0;
    const exception = nextException(socket());
    socket().emit('secret', {});
    expect(await exception).toMatchObject({ status: 'error' });
    expect(ran).toEqual([]);
  });

  it('serves a @Public() WebSocket message handler', async () => {
    ran.length = 0;
    await expect(socket().emitWithAck('ping', {})).resolves.toBe('pong');
    expect(ran).toEqual(['ws:ping']);
  });

  it('still refuses HTTP requests without a key', async () => {
    ran.length = 0;
    const reply = await fetch(`${hybrid().url}/http/secret`);
    expect(reply.status).toBe(401);
    expect(ran).toEqual([]);
  });
});

describe.each(PLATFORMS)('other transports on %s, opted out explicitly', (platform) => {
  const { hybrid, socket } = useHybrid(platform, {
    apiKeys: { store },
    entitlements: { features: { exports: 'authority' } },
    contexts: { rpc: 'skip', ws: 'skip' },
  });

  it("serves every RPC handler with contexts.rpc: 'skip'", async () => {
    ran.length = 0;
    await expect(firstValueFrom(hybrid().rpc.send('secret', {}))).resolves.toEqual({
      secret: true,
    });
    expect(ran).toEqual(['rpc:secret']);
  });

  it("serves every WebSocket handler with contexts.ws: 'skip'", async () => {
    ran.length = 0;
    await expect(socket().emitWithAck('secret', {})).resolves.toBe('secret');
    expect(ran).toEqual(['ws:secret']);
  });
});
