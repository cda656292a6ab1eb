-- The ward staff's registry web interface. Keep in step with ../sqlite/0002_registry_web.sql.

-- Web sessions: the cookie holds a random id, the database only its SHA-256.
create table web_session (
    id_hash text primary key,
    user_id text not null references app_user (id),
    created_at text not null,
    last_seen_at text not null,
    expires_at text not null
);
create index web_session_user on web_session (user_id);

-- What the registry shows without parsing documents: last year's category, the transition,
-- and the review step (the step itself lives in the household document).
alter table household add column previous_category text;
alter table household add column transition text;
alter table household add column review_status text not null default 'listed';
alter table household add column review_comment text;
alter table household add column agreement_percent bigint;
alter table household add column review_at text;
-- The twelve indicators as bit masks (bit n-1 = indicator n): the dashboard and the filters
-- count and test them on the household row instead of joining twelve indicator rows each.
alter table household add column deprived_mask bigint;
alter table household add column unknown_mask bigint;
-- One index per sort order and filter of the list, each led by the commune (the scope).
create index household_review on household (commune, review_status, deprived_mask);
create index household_group_code on household (commune, group_code, code, id);
create index household_name on household (commune, search_text, id);
create index household_deprived on household (commune, deprived_count, id);
create index household_recent on household (commune, last_feed_seq, id);
create index household_conflicts on household (commune, conflict_count);
-- Covering indexes for the dashboard's aggregates: they scan these, never the wide rows
-- (record_json, issues_json) of every household.
create index household_progress on household (commune, group_code, review_status, category, conflict_count, deprived_mask, unknown_mask);
create index household_transition on household (commune, transition);
-- Department lists: the households deprived on one indicator.
create index indicator_result_number on indicator_result (number, status, household_id);

-- Every action of a web user: logins, review steps, resolutions, exports, imports.
create table web_audit (
    id bigint generated always as identity primary key,
    user_id text,
    action text not null,
    household_id text,
    detail_json text not null,
    at text not null
);
create index web_audit_household on web_audit (household_id, id);

-- A ward's own settings, editable by its staff: plan targets (`target:<code>` → percent, standard
-- §9: "targets are data, per ward, per year") and the department responsible for each indicator
-- (`department:<number>` → name; the standard's assignment is the default).
create table ward_setting (
    commune text not null,
    key text not null,
    value text not null,
    updated_by text,
    updated_at text not null,
    primary key (commune, key)
);
