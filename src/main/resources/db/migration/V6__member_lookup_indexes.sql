-- Every look-up of one update member (by update and member id, a report by its batch, a member by the id holding the
-- place) must use an index that names that member. PostgreSQL chose otherwise: an update's rows are new when it
-- runs, so the planner's statistics do not know its update_id yet and estimate one row for "update_id = ?"; every
-- index starting with update_id then looks as good as the primary key, and the narrower ix_update_member_cluster won.
-- Each look-up then read all of the update's members so far (N = 1,000: 5.3 million index entries in one update,
-- about 1,000 per look-up; quadratic in N). Indexes other than the primary key no longer start with update_id, and
-- the index on a report's batch carries the member id (a report's look-up names both). On a table never analyzed
-- (a new database: PostgreSQL then thinks it nearly empty) the planner also scans a narrower index whole, on a column
-- that is not its first: the batch index is made wider than the primary key (it also gives a batch in member order).
-- The look-up of the member holding a place (current_member_id) names no update_id any more
-- (UpdateRepository.memberByCurrentId).

drop index ix_update_member_cluster;
create index ix_update_member_cluster on stratos_update_member (cluster_id, update_id, batch_number, member_id);

drop index ix_update_member_agent_batch;
create index ix_update_member_agent_batch on stratos_update_member (agent_batch, member_id);
