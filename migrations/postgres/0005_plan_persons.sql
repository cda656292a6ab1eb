-- The §9 plan targets stated per person (shared::plan::person_counts), counted per household
-- by the projection so the dashboard sums one row per household: members with a
-- health-insurance card / with a known answer, children at school at the right level / known,
-- workers with training / with a diploma or certificate / known; and whether the household
-- escaped poverty recently (its workers count for the training target). Null: not projected
-- since this migration (`rasoat registry rebuild` fills them).
alter table household add column insured_persons integer;
alter table household add column insurance_known integer;
alter table household add column schooled_children integer;
alter table household add column schooling_known integer;
alter table household add column trained_workers integer;
alter table household add column diploma_workers integer;
alter table household add column training_known integer;
alter table household add column recently_escaped integer;
-- Covering index for the dashboard's per-person sums: read from the index, never the wide rows.
create index household_plan on household (commune, group_code, category, recently_escaped, insured_persons,
    insurance_known, schooled_children, schooling_known, trained_workers, diploma_workers, training_known);
