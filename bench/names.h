/*
 * bench/names.h - the company sizes and Chinese names both benchmark generators draw from
 * (funnel-bench-gen's databases, funnel-bench-leads' lead lists).
 */
#ifndef FUNNEL_BENCH_NAMES_H
#define FUNNEL_BENCH_NAMES_H

static const char *const sizes[] = {"1-49人", "50-199人", "200-999人", "1000人以上"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
				       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
				    "勇", "艳", "杰", "涛", "明", "超", "华", "平", "建国", "志强",
				    "海燕", "晓东", "建华", "丽娟", "文博", "思远", "佳怡", "子涵"};

#endif
