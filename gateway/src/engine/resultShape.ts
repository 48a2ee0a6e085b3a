import {
  ERRORS,
  Variable,
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  typenameFieldName,
} from '@apollo/federation-internals';
import type {
  CompositeType,
  EnumType,
  FieldSelection,
  NamedType,
  Operation,
  Schema,
  SelectionSet,
  Type,
} from '@apollo/federation-internals';
import type { GraphQLError, SelectionNode } from 'graphql';

/**
 * The response an operation's merged subgraph data becomes: its selections in its order, with
 * aliases, `__typename`, `@skip` / `@include`, type conditions, null bubbling to the nearest
 * nullable field and a value-completion error for each invalid value, as the gateway's
 * post-processing (`@apollo/gateway`'s result shaping) defines it.
 *
 * The difference is when the work is done. Apollo's walks the operation's selection sets for
 * every response, reading directives, types and names from them each time. Here the operation
 * is compiled once (cached beside its plan), so a response only walks its data.
 */

/** How a field's value is completed, from its type. */
type ValueShape =
  | { kind: 'nonNull'; of: ValueShape; type: Type }
  | { kind: 'list'; of: ValueShape; type: Type }
  | { kind: 'composite'; type: CompositeType }
  | { kind: 'leaf'; type: Type; isValid(value: unknown): boolean };

/** `@skip(if:)` / `@include(if:)`: a literal, or a variable read per response. */
type Condition = boolean | { variable: string } | undefined;

interface FieldStep {
  kind: 'field';
  responseName: string;
  skip: Condition;
  include: Condition;
  isTypename: boolean;
  /** `__schema` / `__type`: answered by the gateway from the API schema. */
  introspection: SelectionNode | undefined;
  value: ValueShape;
  selections: Step[] | undefined;
}

interface FragmentStep {
  kind: 'fragment';
  skip: Condition;
  include: Condition;
  typeCondition: CompositeType | undefined;
  selections: Step[];
  /** Whether the condition applies to a `__typename` met in the data, remembered per name. */
  appliesTo: Map<string, boolean>;
}

type Step = FieldStep | FragmentStep;

/** Answers an introspection field selected in the operation (`__schema`, `__type`). */
export type IntrospectionAnswer = (selection: SelectionNode) => unknown;

export interface ShapedResult {
  data: Record<string, unknown> | null;
  errors: GraphQLError[];
}

/** What one response's shaping reads and writes. */
interface Run {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  introspect: IntrospectionAnswer;
  path: (string | number)[];
}

const OK = 0;
const NULL_BUBBLES_UP = 1;

/** A completed value, and whether it nulls its parent (`invalid`) or already reported (`failed`). */
interface Completed {
  value: unknown;
  invalid: boolean;
  failed: boolean;
}

const UNCHANGED_NULL: Completed = { value: null, invalid: false, failed: false };

function conditionOf(
  directive: { arguments(): { if: boolean | Variable } } | undefined,
): Condition {
  if (!directive) return undefined;
  const value = directive.arguments().if;
  return value instanceof Variable ? { variable: value.name } : value;
}

function conditionValue(condition: Condition, variables: Record<string, unknown>): boolean {
  if (typeof condition === 'boolean') return condition;
  const value = variables[(condition as { variable: string }).variable];
  if (typeof value !== 'boolean') {
    throw new Error(`Unexpected value ${String(value)} for variable $${condition?.variable}`);
  }
  return value;
}

function skipped(step: Step, variables: Record<string, unknown>): boolean {
  return (
    (step.skip !== undefined && conditionValue(step.skip, variables)) ||
    (step.include !== undefined && !conditionValue(step.include, variables))
  );
}

/** An Int or ID value, as graphql-js prints a whole number. */
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

function leafValidator(schema: Schema, type: Type): (value: unknown) => boolean {
  if (isCustomScalarType(type)) return () => true;
  if (isEnumType(type)) {
    const enumType = type as EnumType;
    return (value) => typeof value === 'string' && enumType.value(value) !== undefined;
  }
  const isBoolean = type === schema.booleanType();
  const isInteger = type === schema.intType() || type === schema.idType();
  const isFloat = type === schema.floatType();
  const isInt = type === schema.intType();
  return (value) => {
    if (typeof value === 'boolean') return isBoolean;
    if (typeof value === 'number' && Number.isFinite(value)) {
      return isInteger ? INTEGER.test(String(value)) : isFloat;
    }
    if (typeof value === 'string') return !isBoolean && !isInt && !isFloat;
    return false;
  };
}

function valueShapeOf(schema: Schema, type: Type): ValueShape {
  if (isNonNullType(type)) return { kind: 'nonNull', of: valueShapeOf(schema, type.ofType), type };
  if (isListType(type)) return { kind: 'list', of: valueShapeOf(schema, type.ofType), type };
  if (isCompositeType(type)) return { kind: 'composite', type };
  return { kind: 'leaf', type, isValid: leafValidator(schema, type) };
}

function compileSelections(schema: Schema, selectionSet: SelectionSet): Step[] {
  const skipDirective = schema.skipDirective();
  const includeDirective = schema.includeDirective();
  return selectionSet.selections().map((selection): Step => {
    const skip = conditionOf(selection.element.appliedDirectivesOf(skipDirective)[0]);
    const include = conditionOf(selection.element.appliedDirectivesOf(includeDirective)[0]);
    if (selection.kind === 'FieldSelection') {
      const field = (selection as FieldSelection).element;
      const introspection = field.definition.isSchemaIntrospectionField()
        ? (selection as FieldSelection).expandFragments().toSelectionNode()
        : undefined;
      return {
        kind: 'field',
        responseName: field.responseName(),
        skip,
        include,
        isTypename: field.name === typenameFieldName,
        introspection,
        value: valueShapeOf(schema, field.definition.type as Type),
        selections:
          selection.selectionSet && !introspection
            ? compileSelections(schema, selection.selectionSet)
            : undefined,
      };
    }
    return {
      kind: 'fragment',
      skip,
      include,
      typeCondition: selection.element.typeCondition,
      selections: compileSelections(schema, selection.selectionSet as SelectionSet),
      appliesTo: new Map(),
    };
  });
}

function describeLast(path: Run['path'], currentType: Type, parentType: NamedType): string {
  const last = path[path.length - 1];
  return typeof last === 'string'
    ? `field ${String(parentType)}.${last}`
    : `array element of type ${String(currentType)} at index ${String(last)}`;
}

function report(run: Run, message: string): void {
  run.errors.push(ERRORS.INVALID_GRAPHQL.err(message, { path: [...run.path] }));
}

function fragmentApplies(
  run: Run,
  step: FragmentStep,
  typename: unknown,
  parentType: CompositeType,
): boolean {
  if (typename && typeof typename !== 'string') {
    throw new Error(`Got unexpected value for __typename: ${String(typename)}`);
  }
  const condition = step.typeCondition;
  if (!condition) return true;
  if (!typename) return isSubtype(condition, parentType);
  const name = typename as string;
  let applies = step.appliesTo.get(name);
  if (applies === undefined) {
    const type = run.schema.type(name);
    applies = !!type && isSubtype(condition, type);
    step.appliesTo.set(name, applies);
  }
  return applies;
}

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

function applySelections(
  run: Run,
  steps: Step[],
  input: Record<string, unknown>,
  output: Record<string, unknown>,
  parentType: CompositeType,
): number {
  for (const step of steps) {
    if ((step.skip !== undefined || step.include !== undefined) && skipped(step, run.variables)) {
      continue;
    }
    if (step.kind === 'fragment') {
      const typename = input[typenameFieldName];
      if (
        fragmentApplies(run, step, typename, parentType) &&
        applySelections(run, step.selections, input, output, step.typeCondition ?? parentType) ===
          NULL_BUBBLES_UP
      ) {
        return NULL_BUBBLES_UP;
      }
      continue;
    }
    const name = step.responseName;
    const existing = output[name];
    if (step.introspection) {
      if (existing === undefined) output[name] = run.introspect(step.introspection);
      continue;
    }
    let inputValue = own(input, name) ?? null;
    if (step.isTypename) {
      if (existing === undefined) {
        if (inputValue === null && name !== typenameFieldName) {
          inputValue = input[typenameFieldName] ?? null;
        }
        const type =
          typeof inputValue === 'string' ? (run.schema.type(inputValue) ?? parentType) : parentType;
        if (!isObjectType(type)) return NULL_BUBBLES_UP;
        output[name] = type.name;
      }
      continue;
    }
    run.path.push(name);
    const completed = complete(run, step.value, existing, inputValue, step.selections, parentType);
    output[name] = completed.value;
    run.path.pop();
    if (completed.invalid) return NULL_BUBBLES_UP;
  }
  return OK;
}

function complete(
  run: Run,
  shape: ValueShape,
  existing: unknown,
  input: unknown,
  selections: Step[] | undefined,
  parentType: CompositeType,
): Completed {
  if (existing === null || (existing !== undefined && !selections)) {
    return { value: existing, invalid: false, failed: false };
  }
  switch (shape.kind) {
    case 'nonNull': {
      const inner = complete(run, shape.of, existing, input, selections, parentType);
      // A value that is there is complete: its errors were reported where they arose.
      if (inner.value !== null) return inner.failed ? { ...inner, failed: false } : inner;
      if (!inner.failed) {
        report(
          run,
          `Cannot return null for non-nullable ${describeLast(run.path, shape.of.type, parentType)}.`,
        );
      }
      return { value: null, invalid: true, failed: true };
    }
    case 'list': {
      if (input === null) return UNCHANGED_NULL;
      if (!Array.isArray(input)) {
        throw new Error(
          `Invalid non-list value ${String(input)} returned by subgraph for list type ${String(shape.type)}`,
        );
      }
      if (
        existing !== undefined &&
        (!Array.isArray(existing) || existing.length !== input.length)
      ) {
        throw new Error(`Invalid list value merged for list type ${String(shape.type)}`);
      }
      const previous = existing as unknown[] | undefined;
      const values = new Array<unknown>(input.length);
      let nullify = false;
      let failed = false;
      for (let index = 0; index < input.length; index += 1) {
        run.path.push(index);
        const element = complete(
          run,
          shape.of,
          previous?.[index],
          input[index],
          selections,
          parentType,
        );
        run.path.pop();
        nullify ||= element.invalid;
        failed ||= element.failed;
        values[index] = element.value;
      }
      return { value: nullify ? null : values, invalid: false, failed };
    }
    case 'composite': {
      if (input === null) return UNCHANGED_NULL;
      if (!selections)
        throw new Error(`Invalid empty selection set for composite type ${String(shape.type)}`);
      if (typeof input !== 'object') {
        throw new Error(
          `Invalid non-object value ${String(input)} returned by subgraph for composite type ${String(shape.type)}`,
        );
      }
      const object = input as Record<string, unknown>;
      const typename = object[typenameFieldName];
      if (typename !== undefined && typeof typename !== 'string') {
        throw new Error(
          `Invalid non-string value ${String(typename)} for __typename at ${run.path.join(',')}`,
        );
      }
      let type: CompositeType = shape.type;
      if (typename) {
        const named = run.schema.type(typename);
        if (!named || !isCompositeType(named)) {
          report(
            run,
            `Invalid __typename found for object at ${describeLast(run.path, shape.type, parentType)}.`,
          );
          return { value: null, invalid: false, failed: true };
        }
        type = named;
      }
      const output = (existing as Record<string, unknown> | undefined) ?? Object.create(null);
      const failed = applySelections(run, selections, object, output, type) === NULL_BUBBLES_UP;
      return { value: failed ? null : output, invalid: false, failed };
    }
    case 'leaf': {
      if (input === null) return UNCHANGED_NULL;
      if (existing !== undefined)
        throw new Error(`Expected output to be undefined for type ${String(shape.type)}`);
      if (shape.isValid(input)) return { value: input, invalid: false, failed: false };
      report(run, `Invalid value found for ${describeLast(run.path, shape.type, parentType)}.`);
      return { value: null, invalid: false, failed: true };
    }
  }
}

export interface ResultShape {
  /** Shapes one response's merged data; throws only on data no subgraph may send. */
  apply(
    input: Record<string, unknown>,
    variables: Record<string, unknown> | undefined,
    introspect: IntrospectionAnswer,
  ): ShapedResult;
}

/** Compiles an operation (as `operationFromDocument` builds it against the API schema) once. */
export function compileResultShape(operation: Operation): ResultShape {
  const schema = operation.schema();
  const steps = compileSelections(schema, operation.selectionSet);
  const rootType = schema.schemaDefinition.rootType(operation.rootKind) as CompositeType;
  const defaults = operation.collectDefaultedVariableValues();
  return {
    apply(input, variables, introspect) {
      const run: Run = {
        schema,
        variables: { __proto__: null, ...defaults, ...variables } as Record<string, unknown>,
        errors: [],
        introspect,
        path: [],
      };
      const data = Object.create(null) as Record<string, unknown>;
      const outcome = applySelections(run, steps, input, data, rootType);
      return { data: outcome === NULL_BUBBLES_UP ? null : data, errors: run.errors };
    },
  };
}
