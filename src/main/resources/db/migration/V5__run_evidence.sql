-- Evidence kept: every run the manager asks of a member's agent keeps its own result, side by side. The update's run
-- keeps exit_code, message and output_tail (V2) and gains the kind of failure and Puppet's resource counts; the
-- rollback's run and the pre-flight (a no-op run before any member changes) get the same set under their own prefix.
-- A report that comes after the manager stopped waiting for it is kept as late_report, never lost.

alter table stratos_update_member add column failure varchar(32);
alter table stratos_update_member add column resources_changed integer;
alter table stratos_update_member add column resources_failed integer;
alter table stratos_update_member add column late_report varchar(1000);

alter table stratos_update_member add column rollback_exit_code integer;
alter table stratos_update_member add column rollback_failure varchar(32);
alter table stratos_update_member add column rollback_message varchar(1000);
alter table stratos_update_member add column rollback_output_tail varchar(4000);
alter table stratos_update_member add column rollback_resources_changed integer;
alter table stratos_update_member add column rollback_resources_failed integer;
alter table stratos_update_member add column rollback_late_report varchar(1000);

-- pre-flight: CHECKING while the no-op runs, then PASSED or FAILED (null: no pre-flight)
alter table stratos_update_member add column preflight varchar(16);
alter table stratos_update_member add column preflight_exit_code integer;
alter table stratos_update_member add column preflight_failure varchar(32);
alter table stratos_update_member add column preflight_message varchar(1000);
alter table stratos_update_member add column preflight_output_tail varchar(4000);
alter table stratos_update_member add column preflight_resources_changed integer;
alter table stratos_update_member add column preflight_resources_failed integer;
alter table stratos_update_member add column preflight_late_report varchar(1000);

-- when the agent last acknowledged the command of the run under way (InstanceUpdatingEvent)
alter table stratos_update_member add column acked_at timestamp;

-- a batch's agents must acknowledge their command by ack_deadline, or they are unreachable; resent_at: the last
-- time the batch sent its commands again (an agent is given up only after at least one resend)
alter table stratos_agent_batch add column ack_deadline timestamp;
alter table stratos_agent_batch add column resent_at timestamp;

-- the update that made the change, so an update's history can be read from the transition log
alter table stratos_member_transition add column update_id varchar(64);
create index ix_transition_update on stratos_member_transition (update_id);
