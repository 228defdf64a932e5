/* hello: stdout, stderr and a non-zero exit status. */
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
    printf("second line on stdout\n");
    fprintf(stderr, "hello, stderr\n");
    return 3;
}
