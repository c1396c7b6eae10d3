#include <stdio.h>
int main(void)
{
	puts("funnel");
	return 0;
}
