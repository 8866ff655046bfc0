package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void anOddCountHasItsMiddleValueAsMedianAndKeepsTheRoundsInOrder() {
        Spread s = Spread.of(30, 10, 20);
        assertThat(s.median()).isEqualTo(20);
        assertThat(s.min()).isEqualTo(10);
        assertThat(s.max()).isEqualTo(30);
        assertThat(s.values()).containsExactly(30, 10, 20);
        assertThat(s.text("%.0f")).isEqualTo("20 (10-30; 30, 10, 20)");
        assertThat(s.joined("%.1f")).isEqualTo("30.0,10.0,20.0");
    }

    @Test
    void anEvenCountHasTheMeanOfItsTwoMiddleValues() {
        assertThat(Spread.of(4, 1, 3, 2).median()).isEqualTo(2.5);
        assertThat(Spread.of(7).median()).isEqualTo(7);
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(Spread::of).isInstanceOf(IllegalArgumentException.class);
    }
}
