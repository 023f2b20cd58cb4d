package io.chatmsg.store;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * PostgreSQL's driver sends a JDBC batch of inserts as one statement per row
 * unless {@code reWriteBatchedInserts} is on; then it rewrites them into
 * multi-row {@code INSERT ... VALUES (...), (...)}, which is what the
 * group-commit writer's batches are for (docs/performance.md). Set here on every
 * pool whose URL is {@code jdbc:postgresql:}, so an operator's URL needs
 * nothing extra; H2 rejects settings it does not know, so its pools are left
 * alone. A URL (or {@code spring.datasource.hikari.data-source-properties}) that says {@code reWriteBatchedInserts=false} still wins (the
 * driver lets the URL override the pool's properties).
 */
public final class BatchedInserts implements BeanPostProcessor {

    /** The driver's property. */
    public static final String PROPERTY = "reWriteBatchedInserts";

    /** Turns the rewriting on for a PostgreSQL pool not yet started; does nothing to other pools. */
    public static HikariDataSource apply(HikariDataSource pool) {
        String url = pool.getJdbcUrl();
        if (url != null
                && url.startsWith("jdbc:postgresql:")
                && !pool.getDataSourceProperties().containsKey(PROPERTY)) {
            pool.addDataSourceProperty(PROPERTY, "true");
        }
        return pool;
    }

    /** After Boot has bound {@code spring.datasource.hikari.*} (a property set there stays). */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof HikariDataSource pool ? apply(pool) : bean;
    }
}
