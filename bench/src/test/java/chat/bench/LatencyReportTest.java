package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyReportTest {

    @Test
    void percentilesOfAUniformSpreadAreWithinHistogramPrecision() {
        Histogram h = LatencyReport.newHistogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            LatencyReport.record(h, micros * 1_000);
        }
        LatencyReport r = LatencyReport.of(h);
        assertEquals(10_000, r.count());
        assertEquals(5_000, r.p50Micros(), 5_000 * 0.001 + 1);
        assertEquals(9_900, r.p99Micros(), 9_900 * 0.001 + 1);
        assertEquals(9_990, r.p999Micros(), 9_990 * 0.001 + 1);
        assertEquals(10_000, r.maxMicros(), 10_000 * 0.001 + 1);
    }

    @Test
    void aFewSlowOutliersShowInTheTailOnly() {
        Histogram h = LatencyReport.newHistogram();
        for (int i = 0; i < 9_990; i++) {
            LatencyReport.record(h, 100_000); // 100 us
        }
        for (int i = 0; i < 10; i++) {
            LatencyReport.record(h, 50_000_000); // 50 ms
        }
        LatencyReport r = LatencyReport.of(h);
        assertEquals(100, r.p50Micros(), 0.1);
        assertEquals(100, r.p99Micros(), 0.1);
        assertEquals(100, r.p999Micros(), 0.1, "exactly 0.1% are slow, so p99.9 is still the fast value");
        assertEquals(50_000, r.maxMicros(), 50);
    }

    @Test
    void mergedHistogramsReportAsOne() {
        Histogram a = LatencyReport.newHistogram();
        Histogram b = LatencyReport.newHistogram();
        for (int i = 1; i <= 500; i++) {
            LatencyReport.record(a, i * 1_000L);
            LatencyReport.record(b, (i + 500) * 1_000L);
        }
        a.add(b);
        assertEquals(500, LatencyReport.of(a).p50Micros(), 1);
        assertEquals(1_000, LatencyReport.of(a).maxMicros(), 1);
    }

    @Test
    void emptyHistogramReportsZeros() {
        LatencyReport r = LatencyReport.of(LatencyReport.newHistogram());
        assertEquals(0, r.count());
        assertEquals(0, r.p99Micros());
    }

    @Test
    void outOfRangeValuesAreClampedNotThrown() {
        Histogram h = LatencyReport.newHistogram();
        LatencyReport.record(h, -5);
        LatencyReport.record(h, Long.MAX_VALUE);
        assertEquals(2, h.getTotalCount());
        assertTrue(LatencyReport.of(h).maxMicros() >= LatencyReport.HIGHEST_TRACKABLE_NANOS / 1000.0 * 0.999);
    }

    @Test
    void formatsForPeopleAndForScripts() {
        LatencyReport r = new LatencyReport(7, 1.25, 2, 3, 4);
        assertEquals("p50 1.3 us  p99 2.0 us  p99.9 3.0 us  max 4.0 us  (n=7)", r.summary());
        assertEquals("lat_p50_us=1.3 lat_p99_us=2.0 lat_p999_us=3.0 lat_max_us=4.0", r.keyValues("lat"));
    }
}
