import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../accounts/account-role.js';
import { ConsoleSessionsService } from '../../accounts/console-sessions.service.js';
import { QUEUE_NAMES } from '../../queue/queue-names.js';
import { SESSION_COOKIE } from './console-auth.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The BullMQ board (@bull-board) at /admin/queues, for admins only, through the console session:
 * without a session the browser is sent to sign in; any other role gets 404, as for every page it
 * must not know exists. The session cookie is SameSite=Lax, so another site cannot make an
 * admin's browser send the board's POSTs.
 */
export async function registerQueueBoard(app: NestFastifyApplication): Promise<void> {
  const sessions = app.get(ConsoleSessionsService);
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Countersign queues' } },
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const id = request.cookies?.[SESSION_COOKIE];
        const session = id ? await sessions.find(id) : null;
        if (!session) return reply.status(303).header('location', '/console/sign-in').send();
        if (session.role !== AccountRole.Admin) {
          return reply.status(404).send({
            statusCode: 404,
            code: 'not_found',
            message: 'Page not found',
            details: [],
          });
        }
      });
      await scope.register(board.registerPlugin() as never);
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}
