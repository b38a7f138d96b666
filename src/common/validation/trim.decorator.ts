import { Transform } from 'class-transformer';

/** Trims strings (the contract trims every string); other types pass through for the validators to refuse. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() : value,
  );
}
