# Deep pipelines: five or more processes under lbw.
. "$TESTS_DIR/lib.sh"
same "sh -c with a 7-process pipeline" sh -c 'seq 1 50000 | grep 7 | sed s/7/seven/g | sort | uniq -c | sort -rn | head -5'
same_sh "each stage under its own lbw" 'seq 1 50000 | $L grep 3 | $L tr 3 x | $L sort -r | $L uniq | $L head -n 4'
same_sh "pipeline status" '$L true | $L false | $L true; echo "${PIPESTATUS[@]}"'
same "nested shells" sh -c 'sh -c "sh -c \"echo deep; exit 5\""; echo "inner status $?"'
same "many short processes" sh -c 'i=0; while [ $i -lt 100 ]; do /bin/true; i=$((i + 1)); done; echo $i'
finish
