package org.stratos.update.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.stratos.update.support.TestPods;

class PodLabelsTest {

    static final String LABEL_VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?";

    @Test
    void clusterIdsThatAreValidLabelValuesAreUsedAsThey() {
        assertThat(PodLabels.labelValue("shop.web.kubernetes.domain")).isEqualTo("shop.web.kubernetes.domain");
        assertThat(PodLabels.labelValue("0b6ab4d2-3c64-4f1e-9d6a-8e1f3c1b2a90"))
                .isEqualTo("0b6ab4d2-3c64-4f1e-9d6a-8e1f3c1b2a90");
    }

    @Test
    void idsTooLongOrEndingBadlyBecomeAPrefixAndAHash() {
        String longId = "a-very-long-application-name-for-a-shop.storefront-web.kubernetes.domain";
        String value = PodLabels.labelValue(longId);

        assertThat(value)
                .hasSizeLessThanOrEqualTo(63)
                .matches(LABEL_VALUE)
                .startsWith("a-very-long-application")
                .isNotEqualTo(PodLabels.labelValue(longId + "2"));
        assertThat(PodLabels.labelValue("shop-")).matches(LABEL_VALUE).startsWith("shop-");
    }

    @Test
    void namesAreLowerCaseDnsLabelsWithAHashWhenSomethingWasLost() {
        assertThat(PodLabels.dnsName("", "web", 26)).isEqualTo("web");
        assertThat(PodLabels.dnsName("", "Web_Front", 26)).matches("web-front-[0-9a-f]{8}");
        assertThat(PodLabels.dnsName("stratos-template-", "shop.web.kubernetes.domain", 253))
                .matches("stratos-template-shop-web-kubernetes-domain-[0-9a-f]{8}");
    }

    @Test
    void aPodIsItsAnnotatedMember() {
        Pod pod = TestPods.memberPod("shop", "web", "shop.web.kubernetes.domain", "stratos/php:1.0");

        assertThat(PodLabels.identify(pod))
                .isEqualTo(new PodLabels.PodMember("shop.web.kubernetes.domain", TestPods.memberId(pod)));
    }

    @Test
    void aPodMadeByHandWithOnlyTheClusterLabelIsTheMemberOfItsUid() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("web-1")
                .withUid("4b1d7a5e-0c4f-4a8e-9f55-3f0e2f8e6c11")
                .addToLabels(PodLabels.CLUSTER, "shop.web.kubernetes.domain")
                .endMetadata()
                .build();

        assertThat(PodLabels.identify(pod).memberId())
                .isEqualTo("shop.web.kubernetes.domain4b1d7a5e-0c4f-4a8e-9f55-3f0e2f8e6c11");
        assertThat(PodLabels.identify(new PodBuilder()
                        .withNewMetadata()
                        .withName("other")
                        .endMetadata()
                        .build()))
                .isNull();
    }
}
