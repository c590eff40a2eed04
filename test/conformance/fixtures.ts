// Three fixture subgraph modules, built and served by the project's builder (subgraphs/harness.ts), that
// between them use every federation feature an agency's schema may use: every @key form (single,
// compound, nested, several on one type, resolvable: false), @requires, @provides, @external,
// @override, @inaccessible, @tag, @interfaceObject, @shareable and @composeDirective. Each declares
// its federation link options as an agency's module would; none of them is an agency.
import type { SubgraphModule } from '../../subgraphs/types.js';

const PRODUCTS = [
  { id: 'p1', sku: 'SKU-1', package: 'box', variation: { id: 'v1' }, name: 'Kettle', notes: 'fragile', price: 1, createdBy: { email: 'ann@example.org', totalProductsCreated: 7 } },
  { id: 'p2', sku: 'SKU-2', package: 'bag', variation: { id: 'v2' }, name: 'Toaster', notes: null, price: 1, createdBy: { email: 'bob@example.org', totalProductsCreated: 3 } },
];
const RESEARCH = [{ study: { caseNumber: 'C1', description: 'steam' }, outcome: 'safe' }];
const USERS = [
  { email: 'ann@example.org', name: 'Ann', totalProductsCreated: 7, yearsOfEmployment: 7, secretCode: 'ann-secret' },
  { email: 'bob@example.org', name: 'Bob', totalProductsCreated: 3, yearsOfEmployment: 1, secretCode: 'bob-secret' },
];
const BOOKS = [{ id: 'm1', title: 'Federation in practice' }];

const byKey = (r: { id?: string; sku?: string; package?: string; variation?: { id: string } }) =>
  PRODUCTS.find((p) => (r.id !== undefined ? p.id === r.id : p.sku === r.sku && (r.package !== undefined ? p.package === r.package : p.variation.id === r.variation?.id))) ?? null;

const base = { agency: null, createClient: () => ({}), createLoaders: () => ({}) } as const;

export const fxproducts: SubgraphModule = {
  ...base,
  name: 'fxproducts',
  description: 'fixture: products',
  federation: { version: '2.7', imports: ['@tag', '@composeDirective', '@interfaceObject'] },
  typeDefs: `
extend schema @link(url: "https://fixtures.example.org/audit-note/v1.0", import: ["@auditNote"]) @composeDirective(name: "@auditNote")
directive @auditNote(note: String!) on FIELD_DEFINITION

type Product @key(fields: "id") @key(fields: "sku package") @key(fields: "sku variation { id }") {
  id: ID!
  sku: String
  package: String
  variation: ProductVariation
  name: String @auditNote(note: "shown on the label")
  notes: String @tag(name: "internal")
  price: Float
  dimensions: ProductDimension
  createdBy: User @provides(fields: "totalProductsCreated")
}
type ProductVariation { id: ID! }
type ProductDimension @shareable { size: String weight: Float }
type ProductResearch @key(fields: "study { caseNumber }") { study: CaseStudy! outcome: String }
type CaseStudy { caseNumber: ID! description: String }
type User @key(fields: "email") {
  email: ID!
  totalProductsCreated: Int @external
  yearsOfEmployment: Int! @external
  averageProductsCreatedPerYear: Int @requires(fields: "totalProductsCreated yearsOfEmployment")
}
interface Media @key(fields: "id") { id: ID! title: String }
type Book implements Media @key(fields: "id") { id: ID! title: String }
type Query {
  product(id: ID!): Product
  media: [Media!]!
}
`,
  resolvers: {
    Query: { product: (_: unknown, a: { id: string }) => byKey({ id: a.id }), media: () => BOOKS.map((b) => ({ __typename: 'Book', ...b })) },
    Product: {
      __resolveReference: (r: never) => byKey(r),
      dimensions: () => ({ size: 'small', weight: 1.5 }),
    },
    ProductResearch: { __resolveReference: (r: { study: { caseNumber: string } }) => RESEARCH.find((x) => x.study.caseNumber === r.study.caseNumber) ?? null },
    User: {
      __resolveReference: (r: { email: string }) => r,
      // Computed from fields another subgraph owns, which the gateway fetched first (@requires).
      averageProductsCreatedPerYear: (u: { totalProductsCreated?: number; yearsOfEmployment?: number }) =>
        u.totalProductsCreated != null && u.yearsOfEmployment ? Math.round(u.totalProductsCreated / u.yearsOfEmployment) : null,
    },
    Media: { __resolveType: () => 'Book' },
    Book: { __resolveReference: (r: { id: string }) => BOOKS.find((b) => b.id === r.id) ?? null },
  } as never,
};

export const fxusers: SubgraphModule = {
  ...base,
  name: 'fxusers',
  description: 'fixture: users',
  federation: { version: '2.7', imports: ['@tag'] },
  typeDefs: `
type User @key(fields: "email") {
  email: ID!
  name: String
  totalProductsCreated: Int @shareable
  yearsOfEmployment: Int!
  secretCode: String @inaccessible
}
type Query { user(email: ID!): User }
`,
  resolvers: {
    Query: { user: (_: unknown, a: { email: string }) => USERS.find((u) => u.email === a.email) ?? null },
    User: {
      __resolveReference: (r: { email: string }) => USERS.find((u) => u.email === r.email) ?? null,
      // Never asked by the gateway for a product's creator: @provides lets fxproducts answer it.
      totalProductsCreated: (u: { totalProductsCreated: number }) => { fxusersCalls.totalProductsCreated++; return u.totalProductsCreated; },
    },
  } as never,
};

/** How often fxusers resolved User.totalProductsCreated (a provided field is not asked of it). */
export const fxusersCalls = { totalProductsCreated: 0 };

export const fxinventory: SubgraphModule = {
  ...base,
  name: 'fxinventory',
  description: 'fixture: inventory',
  federation: { version: '2.7', imports: ['@override', '@interfaceObject'] },
  typeDefs: `
type Product @key(fields: "id") {
  id: ID!
  price: Float @override(from: "fxproducts")
  inStock: Boolean
  shippingDimensions: ProductDimension
  lastCheckedBy: User
}
type ProductDimension @shareable { size: String weight: Float }
type User @key(fields: "email", resolvable: false) { email: ID! }
type Media @key(fields: "id") @interfaceObject { id: ID! delivery: String }
`,
  resolvers: {
    Product: {
      __resolveReference: (r: { id: string }) => ({ id: r.id }),
      price: (p: { id: string }) => (p.id === 'p1' ? 99 : 42),
      inStock: (p: { id: string }) => p.id === 'p1',
      shippingDimensions: () => ({ size: 'parcel', weight: 2 }),
      lastCheckedBy: (p: { id: string }) => ({ email: p.id === 'p1' ? 'bob@example.org' : 'ann@example.org' }),
    },
    Media: { __resolveReference: (r: { id: string }) => ({ id: r.id, delivery: `download ${r.id}` }) },
  } as never,
};

export const FIXTURES = [fxproducts, fxusers, fxinventory];
