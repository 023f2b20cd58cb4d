package io.chatmsg.store;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * What every PostgreSQL pool of the gateway sets on its connections, so that an
 * operator's URL needs nothing extra (H2 rejects settings it does not know, so its
 * pools are left alone):
 *
 * <ul>
 *   <li>{@code reWriteBatchedInserts}: the driver sends a JDBC batch of inserts as
 *       multi-row {@code INSERT ... VALUES (...), (...)} instead of one statement per
 *       row, which is what the group-commit writer's batches are for
 *       (docs/performance.md).
 *   <li>{@code jit=off} (through the driver's {@code options}): PostgreSQL compiles a
 *       plan whose estimated cost passes {@code jit_above_cost}, and with statistics
 *       that lag a table growing by thousands of rows a second (or no autovacuum at
 *       all) the estimate of a millisecond's query passes it: the compilation then
 *       takes 50-100 ms, on every execution, in the middle of the message path. None of
 *       the gateway's statements gains from it.
 * </ul>
 *
 * A URL (or {@code spring.datasource.hikari.data-source-properties}) that sets either
 * property itself still wins: the driver lets the URL override the pool's properties,
 * and a pool property already set is kept.
 */
public final class PostgresqlPool implements BeanPostProcessor {

    /** The driver's property for multi-row inserts. */
    public static final String PROPERTY = "reWriteBatchedInserts";

    /** The driver's property of server settings for each connection. */
    public static final String OPTIONS = "options";

    /** The server settings the gateway's connections get. */
    public static final String SERVER_SETTINGS = "-c jit=off";

    /** Sets both on a PostgreSQL pool not yet started; does nothing to other pools. */
    public static HikariDataSource apply(HikariDataSource pool) {
        String url = pool.getJdbcUrl();
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            if (!pool.getDataSourceProperties().containsKey(PROPERTY)) {
                pool.addDataSourceProperty(PROPERTY, "true");
            }
            if (!pool.getDataSourceProperties().containsKey(OPTIONS)) {
                pool.addDataSourceProperty(OPTIONS, SERVER_SETTINGS);
            }
        }
        return pool;
    }

    /** After Boot has bound {@code spring.datasource.hikari.*} (a property set there stays). */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof HikariDataSource pool ? apply(pool) : bean;
    }
}
