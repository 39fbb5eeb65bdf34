package dev.orderflow.api.config;

import dev.orderflow.orchestration.edi.EdiDocuments;
import dev.orderflow.orchestration.edi.EdiIntake;
import dev.orderflow.orchestration.edi.Interchanges;
import dev.orderflow.orchestration.edi.ItemCrossReferences;
import dev.orderflow.orchestration.order.OrderIntake;
import dev.orderflow.orchestration.outbox.OutboxFeed;
import dev.orderflow.orchestration.stock.Inventory;
import dev.orderflow.orchestration.support.PollingLoop;
import java.time.Clock;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** The EDI channel: interchanges in, acknowledgments and documents out. */
@Configuration(proxyBeanMethods = false)
public class EdiConfiguration {

    @Bean
    ItemCrossReferences itemCrossReferences(DatabaseClient db, Clock clock) {
        return new ItemCrossReferences(db, clock);
    }

    @Bean
    EdiIntake ediIntake(OrderIntake intake, Inventory inventory, ItemCrossReferences crossReferences, DatabaseClient db,
            Clock clock, OrderflowProperties properties) {
        return new EdiIntake(intake, inventory, crossReferences, new Interchanges(db, clock), clock,
                properties.edi().maxPurchaseOrders());
    }

    @Bean
    EdiDocuments ediDocuments(DatabaseClient db, OutboxFeed feed, TransactionalOperator tx, Clock clock) {
        return new EdiDocuments(db, feed, tx, clock);
    }

    @Bean
    SmartLifecycle ediDocumentWork(EdiDocuments documents, OrderflowProperties properties) {
        PollingLoop loop = new PollingLoop("EDI documents", properties.edi().documentInterval(), documents::runOnce);
        return BackgroundWork.worker(loop::start, loop::stop, properties);
    }
}
