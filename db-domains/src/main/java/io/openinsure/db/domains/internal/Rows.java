package io.openinsure.db.domains.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;

/**
 * Common {@link Prepared} statement shapes for the typed clients: insert a whole row, select rows
 * by key columns, and the optimistic-version update. Internal: not part of the API.
 */
public final class Rows {

    private Rows() {}

    /** A placeholder bind value of {@code field}'s type (its converter applies). */
    public static <T> Field<T> param(Field<T> field) {
        return DSL.val(null, field);
    }

    /**
     * {@code insert into t (all columns) values (?, …)}; execute it with {@code record.intoArray()}
     * of a record of {@code table} (values in the table's field order).
     */
    public static Prepared<Record> insertRow(Table<?> table) {
        Field<?>[] fields = table.fields();
        Field<?>[] values = placeholders(fields);
        return Prepared.statement(ctx -> ctx.insertInto(table).columns(fields).values(values));
    }

    /**
     * {@code insert into t (all columns) values (?, …), (?, …)} with {@code rows} rows; execute it
     * with the {@code intoArray()} values of each record, concatenated.
     */
    public static Prepared<Record> insertRows(Table<?> table, int rows) {
        Field<?>[] fields = table.fields();
        return Prepared.statement(ctx -> {
            var step = ctx.insertInto(table).columns(fields);
            var values = step.values(placeholders(fields));
            for (int r = 1; r < rows; r++) {
                values = values.values(placeholders(fields));
            }
            return values;
        });
    }

    private static Field<?>[] placeholders(Field<?>[] fields) {
        Field<?>[] values = new Field<?>[fields.length];
        for (int i = 0; i < fields.length; i++) {
            values[i] = param(fields[i]);
        }
        return values;
    }

    /** {@code select * from t where k1 = ? and k2 = ? …}; bind the key values in order. */
    public static <R extends Record> Prepared<R> selectWhere(Table<R> table, Field<?>... keys) {
        return Prepared.query(table, ctx -> ctx.selectFrom(table).where(equalsAll(keys)));
    }

    /**
     * {@code update t set s1 = ?, s2 = ?, …, version = version + 1 where id = ? and version = ?}:
     * bind the new values in order, then the id and the version the caller read. Zero rows updated
     * means another writer changed (or deleted) the row first.
     */
    public static <R extends Record> Prepared<Record> versionedUpdate(
            Table<R> table, TableField<R, UUID> id, TableField<R, Integer> version, Field<?>... set) {
        return Prepared.statement(ctx -> {
            UpdateSetMoreStep<R> update = ctx.update(table).set(version, version.plus(DSL.inline(1)));
            for (Field<?> f : set) {
                update = setParam(update, f);
            }
            return update.where(id.eq(param(id))).and(version.eq(param(version)));
        });
    }

    private static <R extends Record, T> UpdateSetMoreStep<R> setParam(UpdateSetMoreStep<R> update, Field<T> field) {
        return update.set(field, param(field));
    }

    private static Condition equalsAll(Field<?>... keys) {
        List<Condition> conditions = new ArrayList<>(keys.length);
        for (Field<?> k : keys) {
            conditions.add(equalsParam(k));
        }
        return DSL.and(conditions);
    }

    private static <T> Condition equalsParam(Field<T> field) {
        return field.eq(param(field));
    }
}
