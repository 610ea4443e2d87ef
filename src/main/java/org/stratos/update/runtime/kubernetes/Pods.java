package org.stratos.update.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** What a pod's spec and status say, read the way the runtime needs it. */
final class Pods {

    private Pods() {}

    /** The pod's Ready condition is True. */
    static boolean ready(Pod pod) {
        PodStatus status = pod.getStatus();
        return status != null
                && status.getConditions() != null
                && status.getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The pod is being deleted (its grace period running). */
    static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Restarts of all its containers so far. */
    static int restarts(Pod pod) {
        return containerStatuses(pod)
                .map(ContainerStatus::getRestartCount)
                .filter(Objects::nonNull)
                .mapToInt(Integer::intValue)
                .sum();
    }

    /**
     * Why a pod that is not ready will not become ready, or null while it may still: the pod failed, a container waits
     * for one of {@code reasons} (image pull errors, crash loop back-off), or it restarted {@code restartLimit} times.
     */
    static String failure(Pod pod, List<String> reasons, int restartLimit) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return null;
        }
        if ("Failed".equals(status.getPhase())) {
            return "pod failed" + detail(status.getReason(), status.getMessage());
        }
        List<String> found = new ArrayList<>();
        containerStatuses(pod).forEach(c -> {
            if (c.getState() != null
                    && c.getState().getWaiting() != null
                    && reasons.contains(c.getState().getWaiting().getReason())) {
                found.add("container " + c.getName()
                        + detail(
                                c.getState().getWaiting().getReason(),
                                c.getState().getWaiting().getMessage()));
            }
        });
        if (!found.isEmpty()) {
            return String.join("; ", found);
        }
        int restarts = restarts(pod);
        return restartLimit > 0 && restarts >= restartLimit
                ? "restarted " + restarts + " times before it was ever ready"
                : null;
    }

    /** The container that runs the cluster's image: the one the pod's annotation names, else the first. */
    static Container mainContainer(Pod pod) {
        List<Container> containers = pod.getSpec().getContainers();
        Map<String, String> notes = pod.getMetadata().getAnnotations();
        String named = notes == null ? null : notes.get(PodLabels.MAIN_CONTAINER);
        return containers.stream()
                .filter(c -> named == null || named.equals(c.getName()))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("pod " + pod.getMetadata().getName() + " has no container"
                                + (named == null ? "" : " named '" + named + "'")));
    }

    /** The image of the main container: the member's version. */
    static String image(Pod pod) {
        return mainContainer(pod).getImage();
    }

    static String address(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    }

    /** Owned by a controller (ReplicaSet, StatefulSet, Job): not a member the manager may replace. */
    static boolean controlled(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()));
    }

    static String name(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static Stream<ContainerStatus> containerStatuses(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return Stream.empty();
        }
        return Stream.concat(
                status.getInitContainerStatuses() == null ? Stream.empty() : status.getInitContainerStatuses().stream(),
                status.getContainerStatuses() == null ? Stream.empty() : status.getContainerStatuses().stream());
    }

    private static String detail(String reason, String message) {
        return (reason == null ? "" : ": " + reason)
                + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
