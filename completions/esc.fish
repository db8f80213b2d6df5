# fish completion for esc(1).
#
# Everything offered comes from esc itself: 'esc __complete words WORD...'
# reads the command line and prints the candidates for the last word (one a
# line, a tab before any description; ":files" for file names). So commands,
# options, policy ids, categories, agency types, record kinds, channels and
# open case ids never drift from the program.

function __esc_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l prog (string replace -r '^~/' "$HOME/" -- $tokens[1])
    set -l lines ($prog __complete words $tokens[2..-1] $current 2>/dev/null)
    if test "$lines" = ":files"
        set -l prefix (string match -r -- '^--[^=]*=' $current)
        __fish_complete_path (string replace -r -- '^--[^=]*=' '' $current) | string replace -r -- '^' "$prefix"
        return
    end
    printf '%s\n' $lines
end

complete -c esc -f -a '(__esc_complete)'
