/**
 * fast-check arbitraries of the values a zod schema accepts, read from its JSON Schema
 * (`z.toJSONSchema`), so that a hand-written check can be property-tested against the schema
 * without a third description of the shape. Covers what the protocol's schemas use: objects
 * (strict or not), strings with lengths, numbers with bounds, booleans, null, const, enum,
 * anyOf/oneOf. A `{}` property (zod's `z.undefined()`, which JSON Schema cannot say) is left out.
 */
import fc from 'fast-check';
import { z } from 'zod';

interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema;
}

const isEmptySchema = (schema: JsonSchema) => Object.keys(schema).length === 0;

function fromJsonSchema(schema: JsonSchema): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map(fromJsonSchema));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? min + 40;
      // Short texts, and texts exactly at the limits (where a check's bounds show).
      return fc.oneof(
        fc.string({ minLength: min, maxLength: Math.min(max, min + 30) }),
        fc.constant('x'.repeat(max)),
        fc.constant('y'.repeat(min)),
      );
    }
    case 'number':
    case 'integer': {
      const integer = schema.type === 'integer';
      const min = schema.exclusiveMinimum ?? schema.minimum ?? -1e9;
      const max = schema.maximum ?? 1e9;
      const numbers = integer
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      return schema.exclusiveMinimum === undefined
        ? numbers
        : numbers.filter((value) => value > schema.exclusiveMinimum!);
    }
    case 'array':
      return fc.array(fromJsonSchema(schema.items ?? {}), { maxLength: 4 });
    case 'object': {
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties ?? {}).filter(
        ([, property]) => !isEmptySchema(property),
      );
      return fc.record(
        Object.fromEntries(entries.map(([key, property]) => [key, fromJsonSchema(property)])),
        { requiredKeys: entries.map(([key]) => key).filter((key) => required.has(key)) },
      );
    }
    default:
      throw new Error(`arbitraryFrom: no arbitrary for ${JSON.stringify(schema)}`);
  }
}

/** Values the schema accepts (as it reads its input). */
export function arbitraryFrom(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fromJsonSchema(
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
  );
}

type Path = (string | number)[];

/** Every path to a value inside `value` (the root included). */
function pathsOf(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [path];
  return [
    path,
    ...Object.entries(value).flatMap(([key, inner]) =>
      pathsOf(inner, [...path, Array.isArray(value) ? Number(key) : key]),
    ),
  ];
}

function withChange(value: unknown, path: Path, change: (parent: any, key: any) => void): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return copy;
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  change(parent, path[path.length - 1]);
  return copy;
}

const ABSURD: unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'x'.repeat(5000),
  [],
  {},
  { toString: 'x' },
];

/**
 * Every value that differs from `value` by one thing somewhere inside: a key removed, a key
 * added, a text one character longer or shorter (past a limit when it was at one), or a value
 * replaced by an absurd one. Most are invalid, some stay valid (an optional key removed): what
 * counts is that two checks agree on each.
 */
export function oneChangeFrom(value: unknown): unknown[] {
  const changed: unknown[] = ABSURD.slice();
  for (const path of pathsOf(value).filter((path) => path.length > 0)) {
    const at = (change: (parent: any, key: any) => void) =>
      changed.push(withChange(value, path, change));
    at((parent, key) => delete parent[key]);
    at((parent) => (parent.extra = true));
    for (const other of ABSURD) at((parent, key) => (parent[key] = other));
    at((parent, key) => {
      if (typeof parent[key] === 'string') parent[key] = `${parent[key]}x`;
    });
    at((parent, key) => {
      if (typeof parent[key] === 'string') parent[key] = parent[key].slice(1);
    });
  }
  return changed;
}
