import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators.js';
import { type SignerPage, signerPage } from './signer-pages.js';

const PAGES = { confirm: signerPage('confirm'), withdraw: signerPage('withdraw') };

/** The pages the links in signer mails open (`{PUBLIC_BASE_URL}/signatures/confirm?token=…`). */
@ApiExcludeController()
@Controller('signatures')
@Public()
export class SignerPagesController {
  @Get('confirm')
  confirm(@Res() reply: FastifyReply): void {
    send(reply, PAGES.confirm);
  }

  @Get('withdraw')
  withdraw(@Res() reply: FastifyReply): void {
    send(reply, PAGES.withdraw);
  }
}

function send(reply: FastifyReply, page: SignerPage): void {
  void reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', page.contentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(page.html);
}
