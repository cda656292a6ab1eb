-- Rà soát server schema, PostgreSQL. Keep in step with ../sqlite/0001_init.sql.
-- Times are RFC 3339 UTC text; ids are UUID text; booleans are 0/1.

create table app_user (
    id text primary key,
    username text not null unique,
    display_name text not null,
    role text not null,
    province text not null,
    commune text not null,
    password_hash text,
    created_at text not null,
    disabled_at text
);

-- Residential groups a collector or health worker works in.
create table user_area (
    user_id text not null references app_user (id),
    group_code text not null,
    primary key (user_id, group_code)
);

create table device (
    id text primary key,
    user_id text not null references app_user (id),
    label text not null,
    token_hash text not null unique,
    actor_id text not null unique,
    enrolled_at text not null,
    revoked_at text,
    last_sync_at text
);

create table enrolment_code (
    code_hash text primary key,
    user_id text not null references app_user (id),
    created_by text not null,
    created_at text not null,
    expires_at text not null,
    used_at text,
    device_id text
);

-- The change feed's one counter: every append takes the next numbers while holding this row,
-- so feed order is commit order (sync-notes: PostgreSQL sequences commit out of order).
create table feed_counter (
    id bigint primary key,
    last bigint not null
);
insert into feed_counter (id, last) values (1, 0);

-- Every Automerge change ever received, keyed by its hash: a duplicate is a no-op.
create table doc_change (
    hash text primary key,
    household_id text not null,
    feed_seq bigint not null unique,
    commune text not null,
    area_key text not null,
    device_id text,
    bytes bytea not null,
    received_at text not null
);
create index doc_change_household on doc_change (household_id, feed_seq);
create index doc_change_area_feed on doc_change (area_key, feed_seq);
create index doc_change_commune_feed on doc_change (commune, feed_seq);

-- Compacted documents: load = snapshot + changes after `upto_feed_seq`.
create table doc_snapshot (
    household_id text primary key,
    bytes bytea not null,
    upto_feed_seq bigint not null,
    change_count bigint not null,
    updated_at text not null
);

-- The registry: a projection of the merged documents, recomputed in the transaction that
-- stores their changes.
create table household (
    id text primary key,
    province text not null,
    commune text not null,
    group_code text not null,
    area_key text not null,
    code text,
    address text not null,
    head_name text not null,
    search_text text not null,
    review_year bigint not null,
    interview_date text not null,
    member_count bigint not null,
    valid bigint not null,
    standard text,
    category text,
    income_condition bigint,
    b2_score bigint,
    deprived_count bigint,
    unknown_count bigint,
    conflict_count bigint not null,
    issues_json text not null,
    record_json text not null,
    last_feed_seq bigint not null,
    updated_at text not null
);
create index household_area on household (commune, group_code, id);
create index household_category on household (commune, category);

create table household_member (
    household_id text not null references household (id) on delete cascade,
    member_id text not null,
    position bigint not null,
    full_name text not null,
    sex text not null,
    birth_date text,
    birth_year bigint not null,
    age_years bigint,
    relation text not null,
    ethnicity text,
    primary key (household_id, member_id)
);

-- Units are integers so both engines store them exactly: grams, millimetres, and z-scores
-- in hundredths (WHO reports z to 2 decimals).
create table measurement (
    household_id text not null references household (id) on delete cascade,
    measurement_id text not null,
    member_id text not null,
    measured_on text not null,
    weight_g bigint,
    lenhei_mm bigint,
    measure text,
    oedema bigint not null,
    haz_centi bigint,
    waz_centi bigint,
    whz_centi bigint,
    baz_centi bigint,
    haz_flag bigint,
    waz_flag bigint,
    whz_flag bigint,
    baz_flag bigint,
    primary key (household_id, measurement_id)
);

create table indicator_result (
    household_id text not null references household (id) on delete cascade,
    number bigint not null,
    code text not null,
    status text not null,
    reason_vi text not null,
    reason_en text not null,
    primary key (household_id, number)
);
create index indicator_result_status on indicator_result (number, status);

create table doc_conflict (
    household_id text not null references household (id) on delete cascade,
    path text not null,
    values_json text not null,
    primary key (household_id, path)
);

-- Who (user, device) changed which fields of which household, when.
create table audit (
    id bigint generated always as identity primary key,
    household_id text not null,
    user_id text,
    device_id text,
    change_count bigint not null,
    paths_json text not null,
    at text not null
);
create index audit_household on audit (household_id, id);
