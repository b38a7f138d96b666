import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import type { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { assertOwnerOrModerator } from '../petitions/petition-access.js';
import type { Petition } from '../petitions/petition.entity.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { formulaSafe } from './csv-safe.js';
import type { PublicSignatureResponse } from './dto/public-signature.response.js';
import type { SignerCommentResponse } from './dto/signer-comment.response.js';
import { SignatureStatus } from './signature-status.js';

interface VerifiedRow {
  id: string;
  full_name: string;
  district: string | null;
  title: string | null;
  verified_at: Date;
}

interface CommentRow {
  id: string;
  full_name: string;
  comment: string;
  status: SignatureStatus;
  created_at: Date;
}

const EXPORT_PAGE = 2_000;

/**
 * Whose comments the organiser reads: signatures that count in the public answer. Not
 * `unconfirmed` nor `expired`: a comment that appears when someone signs with an address, and
 * not when that address had already signed, would tell who signed. (Withdrawn ones have no
 * comment left: withdrawing erases it.)
 */
const COMMENT_STATUSES = [
  SignatureStatus.Pending,
  SignatureStatus.NeedsReview,
  SignatureStatus.Verified,
  SignatureStatus.Rejected,
];

/** The verified signatures of a petition: the public list and the organiser's CSV export. */
@Injectable()
export class SignatureListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly petitions: PetitionsService,
  ) {}

  /** Verified signatures whose signers chose to be listed, most recently verified first. */
  async listPublic(
    petitionRef: string,
    principal: Principal | undefined,
    query: PageQueryDto,
  ): Promise<Page<PublicSignatureResponse>> {
    const petition = await this.petitions.getVisible(petitionRef, principal);
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: VerifiedRow[] = await this.dataSource.query(
      `SELECT id, full_name, district, title, verified_at FROM signatures
        WHERE petition_id = $1 AND status = 'verified' AND display_publicly
          AND ($2::timestamptz IS NULL OR (verified_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY verified_at DESC, id DESC LIMIT $4`,
      [petition.id, after?.at ?? null, after?.id ?? null, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ at: row.verified_at.toISOString(), id: row.id }),
      (row) => ({
        fullName: row.full_name,
        district: row.district,
        title: row.title,
        verifiedAt: row.verified_at.toISOString(),
      }),
    );
  }

  /**
   * The signers' comments, newest first, for the petition's organiser and moderators only: they
   * are never shown publicly.
   */
  async comments(
    petitionRef: string,
    principal: Principal,
    query: PageQueryDto,
  ): Promise<Page<SignerCommentResponse>> {
    const petition = await this.petitions.getVisible(petitionRef, principal);
    assertOwnerOrModerator(petition, principal);
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: CommentRow[] = await this.dataSource.query(
      `SELECT id, full_name, comment, status, created_at FROM signatures
        WHERE petition_id = $1 AND comment IS NOT NULL AND status = ANY($2::text[])
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [petition.id, COMMENT_STATUSES, after?.at ?? null, after?.id ?? null, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ at: row.created_at.toISOString(), id: row.id }),
      (row) => ({
        fullName: row.full_name,
        comment: row.comment,
        status: row.status,
        createdAt: row.created_at.toISOString(),
      }),
    );
  }

  /** Checks access first (so errors are JSON), then streams every verified signature as CSV. */
  async exportCsv(
    petitionRef: string,
    principal: Principal,
  ): Promise<{ petition: Petition; csv: Readable }> {
    const petition = await this.petitions.getVisible(petitionRef, principal);
    assertOwnerOrModerator(petition, principal);
    // Once its signers' data is erased there is no one left to list: the header alone.
    const rows = petition.personalDataErasedAt ? [] : this.verifiedRows(petition.id);
    const csv = Readable.from(rows).pipe(
      stringify({
        header: true,
        columns: ['fullName', 'district', 'title', 'verifiedAt'],
      }),
    );
    return { petition, csv };
  }

  /** Keyset pages, so an export of a million rows holds one page in memory at a time. */
  private async *verifiedRows(petitionId: string): AsyncGenerator<string[]> {
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const rows: VerifiedRow[] = await this.dataSource.query(
        `SELECT id, full_name, district, title, verified_at FROM signatures
          WHERE petition_id = $1 AND status = 'verified'
            AND ($2::timestamptz IS NULL OR (verified_at, id) > ($2::timestamptz, $3::uuid))
          ORDER BY verified_at, id LIMIT $4`,
        [petitionId, after?.at ?? null, after?.id ?? null, EXPORT_PAGE],
      );
      for (const row of rows) {
        yield [
          formulaSafe(row.full_name),
          formulaSafe(row.district),
          formulaSafe(row.title),
          row.verified_at.toISOString(),
        ];
      }
      if (rows.length < EXPORT_PAGE) return;
      const last = rows[rows.length - 1];
      after = { at: last.verified_at, id: last.id };
    }
  }
}
