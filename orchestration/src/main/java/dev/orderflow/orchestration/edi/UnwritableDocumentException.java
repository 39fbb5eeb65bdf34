package dev.orderflow.orchestration.edi;

/**
 * An 855, 856 or 810 that StAEDI refuses to write from what the order holds (a value its envelope
 * cannot carry, say). Writing it again gives the same answer, so it is set aside, not retried.
 */
final class UnwritableDocumentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnwritableDocumentException(String setCode, String poNumber, Throwable cause) {
        super("could not write the " + setCode + " for PO " + poNumber + ": " + cause.getMessage(), cause);
    }
}
