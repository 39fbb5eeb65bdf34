package dev.orderflow.orchestration.edi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class X12DelimitersTest {

    @Test
    void theUsualDelimitersAndControlCharactersDelimit() {
        assertThat(X12Delimiters.STANDARD.unusable()).isEmpty();
        assertThat(new X12Delimiters('|', '\n', '^', X12Delimiters.NONE).unusable()).isEmpty();
        assertThat(new X12Delimiters('\u001d', '\u001c', '\u001f', '\u001e').unusable()).isEmpty();
    }

    @Test
    void lettersDigitsSpacesAndNulAreData() {
        assertThat(new X12Delimiters('*', 'A', '>', X12Delimiters.NONE).unusable()).hasValue("the delimiter 'A' is a character of the data");
        assertThat(new X12Delimiters('1', '~', '>', X12Delimiters.NONE).unusable()).hasValue("the delimiter '1' is a character of the data");
        assertThat(new X12Delimiters('*', '~', ' ', X12Delimiters.NONE).unusable()).hasValue("the delimiter U+0020 is a character of the data");
        assertThat(new X12Delimiters('*', '~', '\0', X12Delimiters.NONE).unusable()).hasValue("the delimiter U+0000 is a character of the data");
        // prices and order ids go back in the 855
        assertThat(new X12Delimiters(':', '~', '.', X12Delimiters.NONE).unusable()).hasValue("the delimiter '.' is a character of the data");
        assertThat(new X12Delimiters('-', '~', '>', X12Delimiters.NONE).unusable()).hasValue("the delimiter '-' is a character of the data");
    }

    @Test
    void aValueHoldingADelimiterIsWrittenWithASpaceInItsPlace() {
        X12Delimiters delimiters = new X12Delimiters('*', '~', '>', '^');

        assertThat(delimiters.clean("1Z*999~A>B^C")).isEqualTo("1Z 999 A B C");
        assertThat(delimiters.clean("12.50")).isEqualTo("12.50");
        assertThat(new X12Delimiters('|', '\n', ':', X12Delimiters.NONE).clean("a^b|c:d")).isEqualTo("a^b c d");
    }

    @Test
    void aCharacterStAediCannotWriteIsLeftOutOfAValue() {
        // an order taken from a damaged interchange: its 855 must still be writable (EdiIT waited on one that was not)
        X12Delimiters delimiters = new X12Delimiters('*', '~', '>', '^');
        assertThat(delimiters.clean("PO-\u0010A\u0001B\u007F")).isEqualTo("PO-AB");
        assertThat(new X12Delimiters('|', '\n', ':', X12Delimiters.NONE).clean("a\nb\tc")).isEqualTo("a bc");
    }

    @Test
    void twoDelimitersMustDiffer() {
        assertThat(new X12Delimiters('*', '*', '>', X12Delimiters.NONE).unusable()).hasValue("two delimiters are the same character");
        assertThat(new X12Delimiters('*', '~', '*', X12Delimiters.NONE).unusable()).hasValue("two delimiters are the same character");
        assertThat(new X12Delimiters('*', '~', '~', X12Delimiters.NONE).unusable()).hasValue("two delimiters are the same character");
        assertThat(new X12Delimiters('*', '~', '>', '>').unusable()).hasValue("two delimiters are the same character");
        assertThat(new X12Delimiters('*', '~', '>', '^').unusable()).isEmpty();
    }
}
