package io.nocturne.ingest.snmp.mib;

/**
 * The text of one MIB file, and where it came from.
 *
 * @param name the file path or resource name, used in problem reports
 * @param text the file contents
 * @param shipped whether it is one of the MIBs shipped with Nocturne (an operator's file
 *     with the same module name replaces a shipped one)
 */
public record MibSource(String name, String text, boolean shipped) {
}
