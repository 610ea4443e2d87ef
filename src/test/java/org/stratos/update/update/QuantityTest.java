package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantityTest {

    @ParameterizedTest(name = "batch {0} of {1} members is {2}")
    @CsvSource({
        "25%, 6, 2",
        "25%, 4, 1",
        "25%, 1, 1",
        "10%, 1000, 100",
        "10%, 5, 1",
        "100%, 6, 6",
        "3, 6, 3",
        "10, 6, 6",
        "1, 0, 1"
    })
    void batchesRoundUpAndHoldAtLeastOneMember(String q, int size, int batch) {
        assertThat(Quantity.parse(q).batchOf(size)).isEqualTo(batch);
    }

    @ParameterizedTest(name = "budget {0} of {1} members is {2}")
    @CsvSource({"0, 6, 0", "1, 6, 1", "10%, 6, 0", "20%, 10, 2", "50%, 5, 2"})
    void failureBudgetsRoundDown(String q, int size, int budget) {
        assertThat(Quantity.parse(q).budgetOf(size)).isEqualTo(budget);
    }

    @ParameterizedTest(name = "''{0}'' is not a quantity")
    @CsvSource({"abc", "2.5", "-1", "%", "25 %%", "1e3"})
    void textThatIsNeitherCountNorPercentageIsNotAQuantity(String text) {
        assertThat(Quantity.parse(text)).isNull();
    }
}
