import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import type { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { readUploadRows, type RowError, validateRow } from '../common/upload/row-upload.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { nameKey } from '../signatories/name-key.js';
import { districtKey } from './district-key.js';
import { type ProtectedContact, RegisterContacts } from './register-contact.js';
import { recheckJobId } from './register-recheck.sweeper.js';
import {
  type CreateRegisterDto,
  RegisterEntryDto,
  type RegisterEntryResponse,
  type RegisterResponse,
  type ReplaceEntriesResponse,
} from './dto/register.dto.js';

export const REGISTER_MAX_ROWS = 200_000;
const INSERT_CHUNK = 10_000;

/** What a register upload may hold: exported so the console can word its bad rows. */
export const ENTRIES_SHAPE = {
  jsonKey: 'entries',
  columns: ['fullName', 'district', 'title', 'email'],
  requiredColumn: 'fullName',
  maxRows: REGISTER_MAX_ROWS,
} as const;

interface RegisterRow {
  id: string;
  name: string;
  description: string | null;
  version: number;
  entry_count: number;
  created_at: Date;
  updated_at: Date;
}

/** Eligibility registers and their versioned entries. Moderators manage them. */
@Injectable()
export class RegistersService {
  private readonly logger = new Logger(RegistersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
    private readonly contacts: RegisterContacts,
  ) {}

  async create(principal: Principal, dto: CreateRegisterDto): Promise<RegisterResponse> {
    const [row]: RegisterRow[] = await this.dataSource.query(
      `INSERT INTO eligibility_registers (name, description, created_by) VALUES ($1, $2, $3)
       RETURNING *`,
      [dto.name, dto.description ?? null, principal.id],
    );
    return present(row);
  }

  /** Every register, the most recently changed first; keyset-paginated on (updated_at, id). */
  async list(query: PageQueryDto): Promise<Page<RegisterResponse>> {
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: RegisterRow[] = await this.dataSource.query(
      `SELECT * FROM eligibility_registers
        WHERE $1::timestamptz IS NULL OR (date_trunc('milliseconds', updated_at), id) < ($1::timestamptz, $2::uuid)
        ORDER BY date_trunc('milliseconds', updated_at) DESC, id DESC LIMIT $3`,
      [after?.at ?? null, after?.id ?? null, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ at: row.updated_at.toISOString(), id: row.id }),
      present,
    );
  }

  async get(id: string): Promise<RegisterResponse> {
    return present(await this.find(id));
  }

  /**
   * Replaces the entries with the upload's good rows as a new version, in one transaction: readers
   * and the match check see the old version until it commits, then only the new one. Two uploads
   * to one register queue on its row lock rather than interleave.
   */
  async replaceEntries(id: string, body: unknown): Promise<ReplaceEntriesResponse> {
    await this.find(id); // 404 before reading a large body's rows
    const raw = readUploadRows(body, ENTRIES_SHAPE);
    const rejected: RowError[] = [];
    const good: Array<RegisterEntryDto & { contact: ProtectedContact | null }> = [];
    const seen = new Set<string>();
    raw.forEach((item, index) => {
      const result = validateRow(RegisterEntryDto, item, index + 1);
      if ('error' in result) return void rejected.push(result.error);
      const contact = result.value.email ? this.contacts.protect(result.value.email) : null;
      const key = contact?.index.toString('hex');
      if (key !== undefined && seen.has(key)) {
        // One address, one person: a second entry with it could never be told apart.
        return void rejected.push({
          row: index + 1,
          code: 'duplicate_in_upload',
          message: 'this email appears on an earlier row of the same upload',
        });
      }
      if (key !== undefined) seen.add(key);
      good.push({ ...result.value, contact });
    });

    const version = await this.dataSource.transaction(async (m) => {
      const [locked]: Array<{ version: number }> = await m.query(
        `SELECT version FROM eligibility_registers WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const next = locked.version + 1;
      for (let start = 0; start < good.length; start += INSERT_CHUNK) {
        const chunk = good.slice(start, start + INSERT_CHUNK);
        await m.query(
          `INSERT INTO register_entries
             (register_id, version, row_number, full_name, name_key, district, district_key, title,
              email_encrypted, email_index)
           SELECT $1, $2, n, full_name, name_key, district, district_key, title,
                  email_encrypted, email_index
             FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                         $9::bytea[], $10::bytea[])
               AS e(n, full_name, name_key, district, district_key, title, email_encrypted,
                    email_index)`,
          [
            id,
            next,
            chunk.map((_, i) => start + i + 1),
            chunk.map((e) => e.fullName),
            chunk.map((e) => nameKey(e.fullName)),
            chunk.map((e) => e.district || null),
            chunk.map((e) => districtKey(e.district)),
            chunk.map((e) => e.title || null),
            chunk.map((e) => e.contact?.encrypted ?? null),
            chunk.map((e) => e.contact?.index ?? null),
          ],
        );
      }
      await m.query(`DELETE FROM register_entries WHERE register_id = $1 AND version < $2`, [
        id,
        next,
      ]);
      await m.query(
        `UPDATE eligibility_registers SET version = $2, entry_count = $3, updated_at = now()
          WHERE id = $1`,
        [id, next, good.length],
      );
      return next;
    });
    // After the commit: signatures already decided against the old version are checked again.
    await this.producer
      .enqueue(
        JobName.RecheckRegister,
        { registerId: id, version },
        { jobId: recheckJobId(id, version) },
      )
      .catch((error: Error) => {
        this.logger.warn(`could not enqueue the re-check of register ${id}: ${error.message}`);
      });
    return { version, imported: good.length, rejected };
  }

  /** The current version's entries in upload order. */
  async listEntries(id: string, query: PageQueryDto): Promise<Page<RegisterEntryResponse>> {
    const register = await this.find(id);
    const after = query.cursor ? decodeRowCursor(query.cursor) : 0;
    const rows: Array<{
      row_number: number;
      full_name: string;
      district: string | null;
      title: string | null;
      email_encrypted: Buffer | null;
    }> = await this.dataSource.query(
      `SELECT row_number, full_name, district, title, email_encrypted FROM register_entries
        WHERE register_id = $1 AND version = $2 AND row_number > $3
        ORDER BY row_number LIMIT $4`,
      [id, register.version, after, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const kept = more ? rows.slice(0, query.limit) : rows;
    return {
      items: kept.map((r) => ({
        fullName: r.full_name,
        district: r.district,
        title: r.title,
        email: r.email_encrypted ? this.contacts.masked(r.email_encrypted) : null,
      })),
      nextCursor: more ? encodeRowCursor(kept[kept.length - 1].row_number) : null,
    };
  }

  /** Whether a register exists (a petition may name only an existing one). */
  async exists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM eligibility_registers WHERE id = $1`,
      [id],
    );
    return rows.length > 0;
  }

  /**
   * Every register's id and name, by name: what an organiser picks from when a petition names
   * one (they may not read the entries).
   */
  async choices(): Promise<Array<{ id: string; name: string }>> {
    return this.dataSource.query(
      `SELECT id, name FROM eligibility_registers ORDER BY lower(name), created_at, id`,
    );
  }

  private async find(id: string): Promise<RegisterRow> {
    const [row]: RegisterRow[] = await this.dataSource.query(
      `SELECT * FROM eligibility_registers WHERE id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('Register');
    return row;
  }
}

function present(row: RegisterRow): RegisterResponse {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    version: row.version,
    entryCount: row.entry_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function encodeRowCursor(row: number): string {
  return Buffer.from(`r${row}`, 'utf8').toString('base64url');
}

function decodeRowCursor(raw: string): number {
  const match = /^r(\d{1,9})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match) {
    throw new DomainError('invalid_cursor', 'The cursor is not valid', [
      { field: 'cursor', message: 'not a cursor this API issued' },
    ]);
  }
  return Number(match[1]);
}
