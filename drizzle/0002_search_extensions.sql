-- btree_gin lets a GIN index start with tenant_id (search_documents.terms), so
-- the tenant stays the first key of every index. Trusted extension: the
-- database owner may create it (PostgreSQL ≥ 13).
CREATE EXTENSION IF NOT EXISTS btree_gin;
