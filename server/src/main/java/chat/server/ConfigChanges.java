package chat.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What differs between two configurations, component by component, records inside records
 * walked down to their leaves ({@code limits.floodRate}). A reload logs these, so an operator
 * sees what a SIGHUP changed, and what it could not.
 */
final class ConfigChanges {

    /** One component that differs; secrets print as "changed", never as their value. */
    record Change(String path, Object before, Object after) {

        boolean isSecret() {
            String lower = path.toLowerCase(Locale.ROOT);
            return lower.contains("password") || lower.contains("operators");
        }

        /** The path's first part: {@code limits} for {@code limits.floodRate}. */
        String group() {
            int dot = path.indexOf('.');
            return dot < 0 ? path : path.substring(0, dot);
        }

        @Override
        public String toString() {
            return isSecret() ? path + " changed" : path + " " + before + " -> " + after;
        }
    }

    private ConfigChanges() {
    }

    /** The components of {@code before} and {@code after} (records of the same type) that differ, in declaration order. */
    static List<Change> between(Record before, Record after) {
        List<Change> changes = new ArrayList<>();
        walk("", before, after, changes);
        return changes;
    }

    private static void walk(String prefix, Record before, Record after, List<Change> changes) {
        for (RecordComponent component : before.getClass().getRecordComponents()) {
            Object a = value(component, before);
            Object b = value(component, after);
            String path = prefix + component.getName();
            if (a instanceof Record && b instanceof Record && a.getClass() == b.getClass()) {
                walk(path + ".", (Record) a, (Record) b, changes);
            } else if (!Objects.equals(a, b)) {
                changes.add(new Change(path, a, b));
            }
        }
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
        }
    }
}
