-- A household whose commune or residential group changed. Each move takes a number from the
-- feed counter, like a change, so a device reading the feed meets it in commit order: devices
-- of the new area then receive the whole document (they never had its earlier changes, filed
-- under the old area), devices of the old area are told to drop it.
create table doc_move (
    feed_seq bigint primary key,
    household_id text not null,
    from_commune text not null,
    from_area_key text not null,
    to_commune text not null,
    to_area_key text not null,
    moved_at text not null
);
create index doc_move_to_area on doc_move (to_area_key, feed_seq);
create index doc_move_from_area on doc_move (from_area_key, feed_seq);
create index doc_move_to_commune on doc_move (to_commune, feed_seq);
create index doc_move_from_commune on doc_move (from_commune, feed_seq);
