/**
 * Software updates: the request and its checks, the plan (clusters in startup order, batches, failure budget), the
 * record of progress per cluster and member, and the operator's controls (pause, resume, abort, approve). The flows
 * themselves are BPMN in {@code processes/}; the delegates in {@code update.delegate} call the services here.
 */
package org.stratos.update.update;
