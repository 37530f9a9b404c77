package io.nocturne.alert.rules;

/** How a rule reduces the matching events in its window to one number. */
public enum Aggregate {
    /** The number of matching events in the window. */
    COUNT
}
