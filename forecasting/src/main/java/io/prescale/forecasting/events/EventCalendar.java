package io.prescale.forecasting.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.prescale.core.config.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * User events (promotions etc.) plus optional public holidays. Loaded from YAML
 * ({@code events: [{name, start, end, effect}]}) or CSV ({@code name,start,end[,effect]} with a
 * header). Times are ISO instants, ISO local date-times (UTC) or dates (midnight UTC).
 */
public final class EventCalendar {
    public static final EventCalendar EMPTY = new EventCalendar(List.of(), Holidays.NONE);

    private final List<CalendarEvent> events;
    private final List<String> names;
    private final Holidays holidays;

    public EventCalendar(List<CalendarEvent> events, Holidays holidays) {
        this.events = List.copyOf(events);
        this.names = List.copyOf(new TreeSet<>(events.stream().map(CalendarEvent::name).toList()));
        this.holidays = holidays;
    }

    public List<CalendarEvent> events() {
        return events;
    }

    /** Distinct event names, sorted: the order of event features. */
    public List<String> names() {
        return names;
    }

    public Holidays holidays() {
        return holidays;
    }

    public EventCalendar withHolidays(Holidays h) {
        return new EventCalendar(events, h);
    }

    public boolean isEmpty() {
        return events.isEmpty() && holidays == Holidays.NONE;
    }

    /** Whether an event named {@code name} is active at {@code t}. */
    public boolean active(String name, Instant t) {
        for (CalendarEvent e : events) if (e.name().equals(name) && e.activeAt(t)) return true;
        return false;
    }

    /** Whether any event is active at {@code t}. */
    public boolean anyActive(Instant t) {
        for (CalendarEvent e : events) if (e.activeAt(t)) return true;
        return false;
    }

    /** The stated effect of event {@code name}, if any occurrence states one. */
    public OptionalDouble statedEffect(String name) {
        for (CalendarEvent e : events) if (e.name().equals(name) && e.effect().isPresent()) return e.effect();
        return OptionalDouble.empty();
    }

    /** Loads a YAML (.yaml/.yml) or CSV (.csv) calendar; errors name file and line or entry. */
    public static EventCalendar load(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        try {
            if (name.endsWith(".csv")) return loadCsv(file);
            if (name.endsWith(".yaml") || name.endsWith(".yml")) return loadYaml(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read event calendar " + file, e);
        }
        throw new IllegalArgumentException(file + ": event calendar must be .yaml, .yml or .csv");
    }

    private static EventCalendar loadYaml(Path file) throws IOException {
        JsonNode root = Yaml.yaml().readTree(file.toFile());
        JsonNode list = root != null && root.has("events") ? root.get("events") : root;
        if (list == null || !list.isArray()) throw new IllegalArgumentException(file + ": expected a list 'events:' of {name, start, end, effect}");
        List<CalendarEvent> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String where = file + ": events[" + i + "]";
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!List.of("name", "start", "end", "effect").contains(f)) throw new IllegalArgumentException(where + "." + f + ": "
                        + io.prescale.core.config.DidYouMean.unknownKey(f, List.of("name", "start", "end", "effect")));
            }
            out.add(event(where, text(e, "name", where), text(e, "start", where), text(e, "end", where),
                    e.has("effect") ? e.get("effect").asText() : ""));
        }
        return new EventCalendar(out, Holidays.NONE);
    }

    private static String text(JsonNode e, String field, String where) {
        if (!e.hasNonNull(field)) throw new IllegalArgumentException(where + "." + field + ": missing");
        return e.get(field).asText();
    }

    private static EventCalendar loadCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<CalendarEvent> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (i == 0 || line.toLowerCase().startsWith("name,")) continue;  // header
            String[] c = line.split(",", -1);
            String where = file + ":" + (i + 1);
            if (c.length < 3 || c.length > 4) throw new IllegalArgumentException(where + ": expected name,start,end[,effect], got " + c.length + " columns");
            out.add(event(where, c[0].strip(), c[1].strip(), c[2].strip(), c.length == 4 ? c[3].strip() : ""));
        }
        return new EventCalendar(out, Holidays.NONE);
    }

    private static CalendarEvent event(String where, String name, String start, String end, String effect) {
        try {
            OptionalDouble eff = effect.isBlank() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(effect));
            return new CalendarEvent(name, parseTime(start), parseTime(end), eff);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": effect '" + effect + "' is not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** ISO instant, offset date-time, local date-time (UTC) or date (midnight UTC). */
    public static Instant parseTime(String s) {
        try { return Instant.parse(s); } catch (DateTimeParseException ignored) { }
        try { return OffsetDateTime.parse(s).toInstant(); } catch (DateTimeParseException ignored) { }
        try { return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC); } catch (DateTimeParseException ignored) { }
        try { return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC); } catch (DateTimeParseException ignored) { }
        throw new IllegalArgumentException("'" + s + "' is not a time (ISO instant, date-time or date)");
    }
}
