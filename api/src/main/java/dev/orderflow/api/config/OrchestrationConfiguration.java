package dev.orderflow.api.config;

import dev.orderflow.orchestration.order.BackorderAllocator;
import dev.orderflow.orchestration.order.ExceptionQueue;
import dev.orderflow.orchestration.order.OrderLifecycle;
import dev.orderflow.orchestration.step.StepQueue;
import dev.orderflow.orchestration.step.Steps;
import dev.orderflow.orchestration.order.IdempotencyRecords;
import dev.orderflow.orchestration.order.IntakeCommit;
import dev.orderflow.orchestration.order.IntakeMetrics;
import dev.orderflow.orchestration.order.OrderIntake;
import dev.orderflow.orchestration.order.Orders;
import dev.orderflow.orchestration.audit.AuditLog;
import dev.orderflow.orchestration.principal.Principals;
import dev.orderflow.orchestration.stock.Inventory;
import dev.orderflow.orchestration.stock.ReservationSweeper;
import dev.orderflow.orchestration.stock.Reservations;
import dev.orderflow.orchestration.stock.StockLock;
import dev.orderflow.orchestration.stock.StockRebuilder;
import dev.orderflow.orchestration.stock.StockReconciler;
import dev.orderflow.orchestration.support.SecureRandoms;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Wires the orchestration library (plain classes, no Spring annotations) into the application. */
@Configuration(proxyBeanMethods = false)
public class OrchestrationConfiguration {

    OrchestrationConfiguration() {
        // seed the random source on the main thread, never lazily on an event loop
        SecureRandoms.warmUp();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Principals principals(DatabaseClient db, TransactionalOperator tx) {
        return new Principals(db, tx);
    }

    @Bean
    AuditLog auditLog(DatabaseClient db, Clock clock) {
        return new AuditLog(db, clock);
    }

    @Bean
    Reservations reservations(RedisClusterReactiveCommands<String, String> redis, Clock clock) {
        return new Reservations(redis, clock);
    }

    @Bean
    StockLock stockLock(DatabaseClient db) {
        return new StockLock(db);
    }

    @Bean
    StockRebuilder stockRebuilder(DatabaseClient db, TransactionalOperator tx, StockLock lock, Reservations reservations) {
        return new StockRebuilder(db, tx, lock, reservations);
    }

    @Bean
    Inventory inventory(DatabaseClient db, TransactionalOperator tx, StockLock lock, Reservations reservations, Clock clock) {
        return new Inventory(db, tx, lock, reservations, clock);
    }

    @Bean
    Steps steps(DatabaseClient db, Clock clock) {
        return new Steps(db, clock);
    }

    @Bean
    ExceptionQueue exceptionQueue(DatabaseClient db) {
        return new ExceptionQueue(db);
    }

    @Bean
    StepQueue stepQueue() {
        return new StepQueue();
    }

    @Bean
    Orders orders(DatabaseClient db) {
        return new Orders(db);
    }

    @Bean
    OrderLifecycle orderLifecycle(DatabaseClient db, Steps steps, StepQueue queue, StockLock lock, Reservations reservations,
            Orders orders, TransactionalOperator tx, Clock clock) {
        return new OrderLifecycle(db, steps, queue, lock, reservations, orders, tx, clock);
    }

    @Bean
    IdempotencyRecords idempotencyRecords(DatabaseClient db) {
        return new IdempotencyRecords(db);
    }

    @Bean
    IntakeMetrics intakeMetrics(MeterRegistry meters) {
        return new IntakeMetrics(meters);
    }

    @Bean
    OrderIntake orderIntake(Reservations reservations, StockRebuilder rebuilder, StockLock lock, Orders orders,
            IdempotencyRecords idempotency, TransactionalOperator tx, Clock clock, StepQueue queue,
            IntakeMetrics metrics, OrderflowProperties properties) {
        IntakeCommit commit = new IntakeCommit(lock, orders, tx, clock, metrics);
        return new OrderIntake(reservations, rebuilder, commit, idempotency, clock, queue,
                properties.engine().approvalThresholdPercent(), properties.intake().batchLimits(), metrics);
    }

    @Bean
    BackorderAllocator backorderAllocator(DatabaseClient db, TransactionalOperator tx, StockLock lock,
            Reservations reservations, StockRebuilder rebuilder, OrderLifecycle lifecycle, Clock clock) {
        return new BackorderAllocator(db, tx, lock, reservations, rebuilder, lifecycle, clock);
    }

    @Bean
    ReservationSweeper reservationSweeper(DatabaseClient db, TransactionalOperator tx, StockLock lock,
            Reservations reservations) {
        return new ReservationSweeper(db, tx, lock, reservations);
    }

    @Bean
    StockReconciler stockReconciler(TransactionalOperator tx, DatabaseClient db, StockLock lock, Reservations reservations,
            StockRebuilder rebuilder, ReservationSweeper sweeper, MeterRegistry meters) {
        return new StockReconciler(tx, db.getConnectionFactory(), lock, reservations, rebuilder, sweeper, meters);
    }

    @Bean
    StockKeeping stockKeeping(ReservationSweeper sweeper, StockReconciler reconciler, IdempotencyRecords idempotency,
            OrderflowProperties properties) {
        return new StockKeeping(sweeper, reconciler, idempotency, properties.stockKeeping());
    }
}
