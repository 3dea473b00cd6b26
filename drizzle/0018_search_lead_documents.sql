-- Leads join the search index. Their documents are written by the lead services, and existing leads are backfilled by the
-- lead_search_sync schedule (leads/search-index.ts): the terms need pinyin and 繁→简 folding, which only text.ts does, not SQL.
ALTER TABLE "search_documents" ADD COLUMN "status" text;