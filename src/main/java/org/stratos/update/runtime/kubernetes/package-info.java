/**
 * The {@code kubernetes} runtime: each member of a {@code kubernetes} cluster is one pod, labelled with its
 * application, cluster and member. A member is replaced by creating a pod from the spec of one of the cluster's pods
 * (or from the template the manager keeps in a ConfigMap) with the new image, and removed by a graceful delete. A pod
 * watch (informer) keeps the topology in step with the API server: pods found on start are adopted, a pod that gets
 * Ready joins as Active, one that stops being ready is Suspended until it is ready again, one that disappears is
 * Terminated, and a pod that will never get ready (image pull error, crash loop) is reported as
 * {@link org.stratos.update.runtime.MemberStartFailed}. Only built when {@code stratos.kubernetes.enabled} is true;
 * see {@code docs/kubernetes.md}.
 */
package org.stratos.update.runtime.kubernetes;
