/**
 * One thin Spring bean per BPMN service task, named {@code <verb><Noun>Delegate} and wired by
 * {@code camunda:delegateExpression}. Each reads its typed inputs ({@link org.stratos.update.update.delegate.Vars}),
 * calls one service, and writes its outputs. Business outcomes become {@code BpmnError}s the model catches;
 * technical faults are thrown, retried by the engine and end in an incident.
 */
package org.stratos.update.update.delegate;
