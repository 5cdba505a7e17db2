package io.openinsure.db.domains;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jooq.JSON;

/** JSON values the domain clients write (event payloads, a program's states) and read back. */
final class Json {

    /** Thread-safe once configured; never reconfigured. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** {@code value} (a map, a collection of strings, a Jackson node) as JSON. */
    static JSON of(Object value) {
        try {
            return JSON.valueOf(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value, e);
        }
    }
}
