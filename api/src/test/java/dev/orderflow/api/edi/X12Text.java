package dev.orderflow.api.edi;

import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Interchanges for tests: built from segments, read from the shared samples, and read back with StAEDI. */
final class X12Text {

    /** The shared samples sit beside the repository: module dir -> repo -> its parent. */
    static final Path SAMPLES = Path.of(System.getProperty("user.dir")).resolve("../../shared/test-data/edi").normalize();

    private X12Text() {
    }

    static String sample(String name) throws IOException {
        return Files.readString(SAMPLES.resolve(name), StandardCharsets.ISO_8859_1);
    }

    /**
     * An interchange of 850s written with '*' and '~', then turned into the given delimiters.
     *
     * @param sets each 850's segments from BEG on; ST, SE and their counts are added
     */
    static String interchange(char element, String segmentEnd, char component, String sender, String control,
            List<List<String>> sets) {
        List<String> segments = new ArrayList<>();
        segments.add(String.join("*", "ISA", "00", "          ", "00", "          ", "ZZ", pad(sender), "ZZ",
                pad("ORDERFLOW"), "261122", "1200", "U", "00401", control, "0", "T", "#"));
        segments.add("GS*PO*" + sender + "*ORDERFLOW*20261122*1200*" + Integer.parseInt(control) + "*X*004010");
        int st = 0;
        for (List<String> set : sets) {
            st++;
            String number = String.format("%04d", st);
            segments.add("ST*850*" + number);
            segments.addAll(set);
            segments.add("SE*" + (set.size() + 2) + "*" + number);
        }
        segments.add("GE*" + sets.size() + "*" + Integer.parseInt(control));
        segments.add("IEA*1*" + control);
        StringBuilder text = new StringBuilder();
        for (String segment : segments) {
            text.append(segment.replace('*', element).replace('#', component)).append(segmentEnd);
        }
        return text.toString();
    }

    /** An 850 from BEG on: PO number, buyer id, ship-to, then the PO1 lines given. */
    static List<String> purchaseOrder(String poNumber, String buyerId, String... po1) {
        List<String> set = new ArrayList<>(List.of("BEG*00*SA*" + poNumber + "**20261120", "CUR*BY*USD",
                "N1*BY*Buyer Inc*92*" + buyerId, "N1*ST*Dock 4*92*DC4", "N3*1 Harbor Rd", "N4*Portland*OR*97201*US"));
        set.addAll(List.of(po1));
        set.add("CTT*" + po1.length);
        return set;
    }

    private static String pad(String id) {
        return id + " ".repeat(15 - id.length());
    }

    /** Segments as StAEDI reads them back, each as "TAG*el1*el2" (components joined with '>'), over all interchanges. */
    static List<String> segments(String edi) throws Exception {
        List<String> segments = new ArrayList<>();
        try (EDIStreamReader reader = EDIInputFactory.newFactory()
                .createEDIStreamReader(new ByteArrayInputStream(edi.getBytes(StandardCharsets.UTF_8)))) {
            StringBuilder current = null;
            int lastElement = 0;
            while (reader.hasNext()) {
                EDIStreamEvent event = reader.next();
                if (event == EDIStreamEvent.START_SEGMENT) {
                    current = new StringBuilder(reader.getText());
                    lastElement = 0;
                } else if (event == EDIStreamEvent.ELEMENT_DATA && current != null) {
                    int position = reader.getLocation().getElementPosition();
                    current.append(position == lastElement ? '>' : '*').append(reader.getText());
                    lastElement = position;
                } else if (event == EDIStreamEvent.END_SEGMENT && current != null) {
                    segments.add(current.toString());
                    current = null;
                }
            }
        }
        return segments;
    }
}
