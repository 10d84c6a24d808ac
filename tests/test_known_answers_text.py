"""Every sentence the data choose, pinned by its exact text, on the full data and on the data
cut at 2013; and the formatter's hedges, written out by hand.

Why exact text: a branch label can be right while the sentence is wrong ("Peru has overtaken
Peru." still carries the label claim_lapsed), and the slow render only compares the page with
a ledger the same code wrote. The table below is the one place to update when a chapter's
wording changes on purpose: the failure prints the new text next to the old.
"""

from __future__ import annotations

import pandas as pd
import pytest
from golden.snapshot import MACHINE
from test_book_datacut import ROOT

from analysis.estimate import Branch, Estimate

# (bundle, value) -> (text with the full data, text with the data cut at 2013).
SENTENCES = {
    ('01-paradox', 'both_series_sentence'): (
        'Either way Peru sits in the safer half of South America, not among its most violent countries.',
        'Either way Peru sits in the safer half of South America, not among its most violent countries.'),
    ('01-paradox', 'claim_status_sentence'): (
        'On this measure the article’s claim no longer holds: Colombia has overtaken Peru.',
        'On this measure the article’s claim still holds in the latest data.'),
    ('01-paradox', 'coca_area_finding'): (
        'Peru grew about as much coca as Colombia in the article’s year; Colombia now grows far more than any other country.',
        'Peru grew about as much coca as Colombia in the article’s year, the latest year in the data.'),
    ('01-paradox', 'gsh_coverage_note'): (
        '(for Suriname the study gives only a public-health figure, from death registrations, which is used)',
        '(for Suriname the study gives only a public-health figure, from death registrations, which is used)'),
    ('01-paradox', 'lead_article_year_sentence'): (
        'Peru’s lead over Colombia was 1,800 hectares, 4% of Colombia’s area.',
        'Peru’s lead over Colombia was 1,800 hectares, 4% of Colombia’s area.'),
    ('01-paradox', 'lead_vs_measure_sentence'): (
        'The lead of 2013, 1,800 hectares, is smaller than the 1,900 hectares by which UNODC’s two measures of Peru’s own area differ for 2011: a lead that size is within what the choice of measure alone can move.',
        'The lead of 2013, 1,800 hectares, is smaller than the 1,900 hectares by which UNODC’s two measures of Peru’s own area differ for 2011: a lead that size is within what the choice of measure alone can move.'),
    ('01-paradox', 'leader_article_year_sentence'): (
        'Peru grew more coca than any other country.',
        'Peru grew more coca than any other country.'),
    ('01-paradox', 'leader_latest_sentence'): (
        'Colombia grew more coca than Peru.',
        'Peru grew more coca than any other country.'),
    ('01-paradox', 'measure_note_sentence'): (
        'For 2011–2020, where an edition’s label or a second measure differs, the report uses the net area. For 2009–2010 only the satellite-interpreted area is published for Peru, so in those years the ranking sets Peru’s satellite figure against Colombia’s net area, and the table’s column of Peru’s measure marks them.',
        'For 2011–2013, where an edition’s label or a second measure differs, the report uses the net area. For 2009–2010 only the satellite-interpreted area is published for Peru, so in those years the ranking sets Peru’s satellite figure against Colombia’s net area, and the table’s column of Peru’s measure marks them.'),
    ('01-paradox', 'other_seen_name'): (
        'Colombia',
        'Colombia'),
    ('01-paradox', 'peru_largest_years'): (
        '2012 and 2013',
        '2012 and 2013'),
    ('01-paradox', 'peru_vs_world_sentence'): (
        'its rate is above the world average and about the South American median.',
        'its rate is above the world average, though below the South American median.'),
    ('01-paradox', 'safest_sentence'): (
        'Peru is about at the South American median: neither among the safest countries of the continent nor among its most violent.',
        'Peru is among the safest third of the continent.'),
    ('01-paradox', 'safety_summary'): (
        'In 2021 its homicide rate put it about at the South American median: neither among the safest countries of the continent nor among its most violent.',
        'In 2013 its homicide rate put it among the safest third of the continent.'),
    ('01-paradox', 'seen_labels_sentence'): (
        'The earlier edition prints that same figure but labels it as interpreted on satellite imagery, not as net area, and UNODC’s own global total for that year used the satellite figure.',
        'The earlier edition prints that same figure but labels it as interpreted on satellite imagery, not as net area, and UNODC’s own global total for that year used the satellite figure.'),
    ('01-paradox', 'seen_margin_sentence'): (
        'On the satellite figure Peru led by 400 hectares; on the net area Colombia led by 1,500 hectares. Whether Peru or Colombia led in the latest survey the authors could have seen depends on which measure is read.',
        'On the satellite figure Peru led by 400 hectares; on the net area Colombia led by 1,500 hectares. Whether Peru or Colombia led in the latest survey the authors could have seen depends on which measure is read.'),
    ('01-paradox', 'seen_verdict_clause'): (
        ', and in the latest survey its authors could have seen the leader depends on the measure',
        ', and in the latest survey its authors could have seen the leader depends on the measure'),
    ('01-paradox', 'sensitivity_sentence'): (
        'The ranking depends on which of UNODC’s measures of Peru’s area is read in 2011.',
        'The ranking depends on which of UNODC’s measures of Peru’s area is read in 2011.'),
    ('01-paradox', 'verdict_sentence'): (
        'Neither half of the paradox survives unqualified.',
        'The safety half of the paradox survives; the coca half needs qualifying.'),
    ('01-paradox', 'homicide_years_note'): (
        'The finding ranks the countries in 2021, Peru’s latest year; the other countries’ diamonds are for 2022–2023.',
        'The finding ranks the countries in 2013, Peru’s latest year; the other countries’ diamonds are for 2012–2013.'),
    ('02-markets', 'brazil_peak_sentence'): (
        'They have fallen since that peak, so the rise has not continued to the latest year; seizures alone cannot say whether less cocaine crossed Brazil or less of it was found.',
        'The latest year is the peak: the rise has not reversed.'),
    ('02-markets', 'brazil_rank_sentence'): (
        'That is consistent with the article’s “second-biggest market”, though the data cannot rank Brazil against Europe as a whole or the rest of the world.',
        'That is consistent with the article’s “second-biggest market”, though the data cannot rank Brazil against Europe as a whole or the rest of the world.'),
    ('02-markets', 'brazil_seizure_sentence'): (
        'Brazil’s seizures have grown faster than those of the United States.',
        'Brazil’s seizures have grown faster than those of the United States.'),
    ('02-markets', 'catchup_timing_sentence'): (
        'Most of Brazil’s catch-up, then, came before the article was written, not after it.',
        'The seizure data end in the article’s year, so whether the catch-up went on after it cannot be seen.'),
    ('02-markets', 'direction_sentence'): (
        'The seizure record is consistent with Brazil’s growing weight, mostly before 2013, but no public series traces Peruvian cocaine to either market.',
        'The seizure record is consistent with Brazil’s growing weight, but no public series traces Peruvian cocaine to either market.'),
    ('02-markets', 'growth_comparison_sentence'): (
        'The two confidence intervals do not overlap. They come from a straight-line trend fitted to the logarithm of each series, with Newey-West errors that allow for correlation between neighbouring years but not for a bent trend, a change of source (the series is spliced in 2019) or a break in reporting, so they understate the uncertainty.',
        'The two confidence intervals do not overlap. They come from a straight-line trend fitted to the logarithm of each series, with Newey-West errors that allow for correlation between neighbouring years but not for a bent trend, a change of source or a break in reporting, so they understate the uncertainty.'),
    ('02-markets', 'peru_survey_note'): (
        ', a figure UNODC takes from a school survey, not a household survey of adults',
        ''),
    ('02-markets', 'seizures_finding'): (
        'Over 1995–2023 Brazil’s cocaine seizures grew faster than those of the United States (12.3% against 2.4% a year), mostly before 2013; they remain smaller and have fallen since 2019.',
        'Over 1995–2013 Brazil’s cocaine seizures grew faster than those of the United States (12.2% against −0.1% a year); they remain smaller.'),
    ('02-markets', 'splice_sentence'): (
        'The series is also spliced: up to 2018 it is UNODC’s long-run table of seizures, from 2019 the World Drug Report’s annex, and the two need not count alike.',
        'The series comes from a single UNODC table throughout.'),
    ('02-markets', 'usa_jump_sentence'): (
        'And some changes look too sudden to be the trade alone: United States seizures went from 86 tonnes in 2014 to 185 tonnes in 2015, 2.1 times as many in one year, which may reflect a change in enforcement or reporting rather than in what crossed the border.',
        'The United States’ seizures show no jump from one year to the next large enough to suggest a break in reporting.'),
    ('02-markets', 'use_finding'): (
        'In their latest surveys, taken years apart, cocaine use was of the same order in Brazil as in the United States, and more common in both than in Peru.',
        'In their latest surveys, taken years apart, cocaine use was of the same order in Brazil as in the United States, and more common in both than in Peru.'),
    ('02-markets', 'use_levels_sentence'): (
        'Past-year use in Brazil (2012) is of the same order as in the United States (2023), but the surveys were taken in different years, so the two levels are not of the same time.',
        'Past-year use in Brazil (2012) is of the same order as in the United States (2013), but the surveys were taken in different years, so the two levels are not of the same time.'),
    ('02-markets', 'value_chain_finding'): (
        'What the article’s cocaine is worth in London depends on which value its ‘tenfold’ multiplies.',
        'What the article’s cocaine is worth in London depends on which value its ‘tenfold’ multiplies.'),
    ('03-criminal-economy', 'assumption_sentence'): (
        'They fit only if drug earnings stay below a ceiling of $1.25–1.97 billion a year. If drug earnings are taken as $1–2 billion and $7 billion as an upper end of the total, the parts can exceed the total; both are this report’s readings of the article’s hedges, not the article’s own figures.',
        'They fit only if drug earnings stay below a ceiling of $1.25–1.97 billion a year. If drug earnings are taken as $1–2 billion and $7 billion as an upper end of the total, the parts can exceed the total; both are this report’s readings of the article’s hedges, not the article’s own figures.'),
    ('03-criminal-economy', 'economy_finding'): (
        'If drug earnings are read as up to $2 billion (this report’s assumption), drugs and gold can exceed the article’s total; at the article’s own floors they leave $1.0–3.5 billion for trafficking, timber and antiquities.',
        'If drug earnings are read as up to $2 billion (this report’s assumption), drugs and gold can exceed the article’s total; at the article’s own floors they leave $1.0–3.5 billion for trafficking, timber and antiquities.'),
    ('03-criminal-economy', 'fit_sensitivity_sentence'): (
        'The share is a consequence of that assumption, not a finding about the article: the article gives no upper end, and the share moves with the one assumed.',
        'The share is a consequence of that assumption, not a finding about the article: the article gives no upper end, and the share moves with the one assumed.'),
    ('03-criminal-economy', 'fit_sentence'): (
        'Taken at face value the parts can fit: drugs and gold leave room inside the total as long as drug earnings stay below a ceiling of $1.25–1.97 billion a year, depending on where in its range the total lies and on how much less than three times “almost” allows.',
        'Taken at face value the parts can fit: drugs and gold leave room inside the total as long as drug earnings stay below a ceiling of $1.25–1.97 billion a year, depending on where in its range the total lies and on how much less than three times “almost” allows.'),
    ('03-criminal-economy', 'residual_sign_sentence'): (
        'The range runs below zero: if drug earnings are taken as $1–2 billion and $7 billion as an upper end of the total, the parts can exceed the total. A negative residual is not a possible earning; it marks readings, this report’s as much as the article’s, on which the parts and the total cannot all hold.',
        'The range runs below zero: if drug earnings are taken as $1–2 billion and $7 billion as an upper end of the total, the parts can exceed the total. A negative residual is not a possible earning; it marks readings, this report’s as much as the article’s, on which the parts and the total cannot all hold.'),
    ('04-counting-the-dead', 'gap_sentence'): (
        'Before the break the two series agreed about as well as the neighbours’ do; since it the police count has sat further above the model than any neighbour’s. Either the police series widened its definition in 2005 or the model undercounts Peru’s violent deaths from then on; the data cannot say which, and deaths that reach neither source are missing from both.',
        'Before the break the two series agreed about as well as the neighbours’ do; since it the police count has sat further above the model than any neighbour’s. Either the police series widened its definition in 2005 or the model undercounts Peru’s violent deaths from then on; the data cannot say which, and deaths that reach neither source are missing from both.'),
    ('04-counting-the-dead', 'ihme_sentence'): (
        'The broader measure gives the lower number, so at least one of the two is wrong for Peru.',
        'The broader measure gives the lower number, so at least one of the two is wrong for Peru.'),
    ('04-counting-the-dead', 'ministry_rank_sentence'): (
        'On the ministry’s figure, taken as the count for 2012 (the article says only “each year”, so the year is this report’s assumption), Peru would be in the more violent half of the continent, and the paradox would largely disappear.',
        'On the ministry’s figure, taken as the count for 2012 (the article says only “each year”, so the year is this report’s assumption), Peru would be in the more violent half of the continent, and the paradox would largely disappear.'),
    ('04-counting-the-dead', 'public_health_sentence'): (
        'The Global Study sheet used here gives one source per country, chosen by UNODC, and reports Peru only from police sources (in South America it gives a public-health figure only for Suriname); no public-health figure for Peru is in this report’s data.',
        'The Global Study sheet used here gives one source per country, chosen by UNODC, and reports Peru only from police sources (in South America it gives a public-health figure only for Suriname); no public-health figure for Peru is in this report’s data.'),
    ('04-counting-the-dead', 'series_rank_sentence'): (
        'Ranked against its neighbours, the yardstick of this chapter, every published series puts Peru in the safer half of South America; only the ministry’s unpublished figure would move it into the more violent half.',
        'Ranked against its neighbours, the yardstick of this chapter, every published series puts Peru in the safer half of South America; only the ministry’s unpublished figure would move it into the more violent half.'),
    ('04-counting-the-dead', 'source_gap_finding'): (
        'Averaged over years that straddle the break in Peru’s police count, Peru’s police record more homicides, relative to the modelled deaths from violence, than the police of any of the 10 other South American countries with both series.',
        'Averaged over years that straddle the break in Peru’s police count, Peru’s police record more homicides, relative to the modelled deaths from violence, than the police of any of the 10 other South American countries with both series.'),
    ('04-counting-the-dead', 'sources_finding'): (
        'The ministry’s count in the article implies a homicide rate far above every published or modelled series, while the police count sits on the police series.',
        'The ministry’s count in the article implies a homicide rate far above every published or modelled series, while the police count sits on the police series.'),
    ('05-explanations', 'baseline_police_sentence'): (
        'On the same model, though, the UNODC police count is above the break-even count, the count at which Peru would stop being an outlier: on the police’s published figure Peru is not an outlier, on point estimates.',
        'On the same model, though, the UNODC police count is above the break-even count, the count at which Peru would stop being an outlier: on the police’s published figure Peru is not an outlier, on point estimates.'),
    ('05-explanations', 'baseline_sentence'): (
        'On this one model Peru would be an outlier: its recorded rate is further below the expected one than the usual spread between countries allows.',
        'On this one model Peru would be an outlier: its recorded rate is further below the expected one than the usual spread between countries allows.'),
    ('05-explanations', 'break_even_vs_published'): (
        'That median is below both published counts for 2012, but only narrowly below the World Bank’s count (1,968 homicides).',
        'That median is below both published counts for 2012, but only narrowly below the World Bank’s count (1,968 homicides).'),
    ('05-explanations', 'complicity_head'): (
        'Unproven',
        'Unproven'),
    ('05-explanations', 'complicity_verdict'): (
        'Unproven: in none of the 36 specifications is the interaction clearly negative (its interval below zero), as the complicity explanation predicts; the intervals are wide, so the data can neither show that corruption weakens the link between drugs and violence nor rule it out. More corrupt countries do have more homicides, in most specifications clearly so. In 2012 Peru was more corrupt than the world’s median country but about at the South American median on the World Bank index (8th of 12 from the most corrupt, 5th–9th within its standard errors; 9th on Transparency International’s). Corruption indices cannot test the article’s mechanism, a pact between traffickers and officials, at all: they measure perceived corruption in general.',
        'Unproven: in none of the 36 specifications is the interaction clearly negative (its interval below zero), as the complicity explanation predicts; the intervals are wide, so the data can neither show that corruption weakens the link between drugs and violence nor rule it out. More corrupt countries do have more homicides, in most specifications clearly so. In 2012 Peru was more corrupt than the world’s median country but about at the South American median on the World Bank index (8th of 12 from the most corrupt, 5th–9th within its standard errors; 9th on Transparency International’s). Corruption indices cannot test the article’s mechanism, a pact between traffickers and officials, at all: they measure perceived corruption in general.'),
    ('05-explanations', 'corruption_finding'): (
        'In 2019 Peru’s control of corruption sat within one standard error below the South American median (−0.51 against a median of −0.41, 4th of 12 from the most corrupt). It has sat below the median every year since 2013; the bottom of the range was −1.53.',
        'In 2013 Peru’s control of corruption sat within one standard error below the South American median (−0.46 against a median of −0.45, 6th of 12 from the most corrupt). The bottom of the range was −1.31.'),
    ('05-explanations', 'curve_years'): (
        '2011–2021',
        '2011–2013'),
    ('05-explanations', 'effect_sentence'): (
        'More corrupt countries do have more homicides, in most specifications clearly so.',
        'More corrupt countries do have more homicides, in most specifications clearly so.'),
    ('05-explanations', 'interaction_sentence'): (
        'In none of the 36 specifications is the interaction clearly negative (its interval below zero), as the complicity explanation predicts; the intervals are wide, so the data can neither show that corruption weakens the link between drugs and violence nor rule it out.',
        'In none of the 36 specifications is the interaction clearly negative (its interval below zero), as the complicity explanation predicts; the intervals are wide, so the data can neither show that corruption weakens the link between drugs and violence nor rule it out.'),
    ('05-explanations', 'level'): (
        '95%',
        '95%'),
    ('05-explanations', 'ministry_position'): (
        'above the whole range',
        'inside the range'),
    ('05-explanations', 'misreading_head'): (
        'Untestable with public data',
        'Untestable with public data'),
    ('05-explanations', 'misreading_summary'): (
        'So the published series disagree with each other: on the UNODC police count Peru is an ordinary country in most specifications on point estimates, on the World Bank’s rate only in some. That is a question of which published figure to believe. The article’s first explanation is that there may be considerable violence between producers, dealers and exporters that analysts miss, and its evidence is that official counts disagree, the ministry’s against the police’s. The ministry’s figure, if right, would end the paradox in every specification, but it has no published series; whether violence escapes all counts, no public series can show.',
        'So the published series disagree with each other: on the UNODC police count Peru is an ordinary country in most specifications on point estimates, on the World Bank’s rate only in some. That is a question of which published figure to believe. The article’s first explanation is that there may be considerable violence between producers, dealers and exporters that analysts miss, and its evidence is that official counts disagree, the ministry’s against the police’s. The ministry’s figure, if right, would end the paradox in every specification, but it has no published series; whether violence escapes all counts, no public series can show.'),
    ('05-explanations', 'misreading_verdict'): (
        'Untestable with public data: the paradox itself is “fragile” across the specifications, and whether the UNODC police count makes Peru ordinary is “robust” against the point break-evens but “fragile” against the upper ends of their intervals. Whether violence between producers, dealers and exporters escapes every count, the article’s point, no public series can show.',
        'Untestable with public data: the paradox itself is “fragile” across the specifications, and whether the UNODC police count makes Peru ordinary is “mostly” against the point break-evens but “fragile” against the upper ends of their intervals. Whether violence between producers, dealers and exporters escapes every count, the article’s point, no public series can show.'),
    ('05-explanations', 'model_fit_finding'): (
        'Peru’s recorded homicide rate lies far below the headline model’s line (0.23 times the expected rate in 2012); most other country-years also lie below it (475 of 715), but only 65 as far below as Peru.',
        'Peru’s recorded homicide rate lies far below the headline model’s line (0.21 times the expected rate in 2012); most other country-years also lie below it (339 of 504), but only 36 as far below as Peru.'),
    ('05-explanations', 'outlier_latest_word'): (
        'not shown',
        'mostly'),
    ('05-explanations', 'outlier_published_word'): (
        'fragile',
        'fragile'),
    ('05-explanations', 'outlier_verdict'): (
        'Fragile: whether Peru’s recorded or modelled rate makes it an unusually peaceful outlier depends on the analyst’s choices, and the specifications split.',
        'Fragile: whether Peru’s recorded or modelled rate makes it an unusually peaceful outlier depends on the analyst’s choices, and the specifications split.'),
    ('05-explanations', 'outlier_word'): (
        'fragile',
        'fragile'),
    ('05-explanations', 'peer_outlier_names'): (
        'Chile, Aruba, Bolivia, Cuba and Argentina',
        'Chile, Aruba, Costa Rica, Cuba and Argentina'),
    ('05-explanations', 'peers_sentence'): (
        'Peru is not alone below that line.',
        'Peru is not alone below that line.'),
    ('05-explanations', 'police_clears_ci_word'): (
        'fragile',
        'fragile'),
    ('05-explanations', 'police_clears_word'): (
        'robust',
        'mostly'),
    ('05-explanations', 'position_sentence'): (
        'In 2012 Peru was more corrupt than the world’s median country but about at the South American median on the World Bank index.',
        'In 2012 Peru was more corrupt than the world’s median country but about at the South American median on the World Bank index.'),
    ('05-explanations', 'premise_sentence'): (
        'In most fitted models the drug measure cannot be told from zero, so the yardstick is in effect the regional average for the year: Peru is compared with its neighbours, not with what its drug economy would predict.',
        'In most fitted models the drug measure cannot be told from zero, so the yardstick is in effect the regional average for the year: Peru is compared with its neighbours, not with what its drug economy would predict.'),
    ('05-explanations', 'rule_mostly'): (
        '60%',
        '60%'),
    ('05-explanations', 'rule_robust'): (
        '90%',
        '90%'),
    ('05-explanations', 'rule_split'): (
        '10%',
        '10%'),
    ('05-explanations', 'sa_corrupt_word'): (
        'mostly',
        'fragile'),
    ('05-explanations', 'spec_curve_finding'): (
        'Whether Peru counts as unusually peaceful depends on the analyst’s choices: its gap from the yardstick crosses the outlier line part of the way along the curve (an outlier in 54 of 108 specifications).',
        'Whether Peru counts as unusually peaceful depends on the analyst’s choices: its gap from the yardstick crosses the outlier line part of the way along the curve (an outlier in 55 of 108 specifications).'),
    ('05-explanations', 'world_year_span'): (
        '2011–2019',
        '2011–2013'),
    ('05-explanations', 'z_outlier'): (
        '−1.645',
        '−1.645'),
    ('05-explanations', 'sa_long_record_sentence'): (
        'Over all the World Bank index’s years in the data, 1996–2019, it sat in the more corrupt half in 11 of 21 (fragile by the same rule).',
        'Over all the World Bank index’s years in the data, 1996–2013, it sat in the more corrupt half in 5 of 15 (fragile by the same rule).'),
    ('05-explanations', 'sa_long_span'): (
        '1996–2019',
        '1996–2013'),
    ('05-explanations', 'sa_window'): (
        '2011–2022 (the World Bank’s index for 2011–2019, Transparency International’s for 2012–2022)',
        '2011–2013 (the World Bank’s index for 2011–2013, Transparency International’s for 2012–2013)'),
    ('05-explanations', 'baseline_interval_sentence'): (
        'Both counts lie within the break-even’s 95% interval, 1,918–3,527 homicides, so on this one model neither clearly makes Peru an outlier nor clearly rules it out.',
        'The break-even’s 95% interval is 2,000–3,629 homicides: the World Bank’s count lies below it and the police count within it.'),
    ('06-outlook', 'coca_growth_sentence'): (
        'Compared over the same years, from 2013 to 2019 coca area changed by 10% and the homicide rate by 9%; to 2020 coca area changed by 24% and the homicide rate by −14%. The comparison depends on the end year chosen, so the data cannot say whether the trade, as far as coca area measures it, outgrew the violence.',
        'There are no later coca surveys in this data vintage either.'),
    ('06-outlook', 'coverage_sentence'): (
        'Part of that rise is coverage, not planting: from 2021 UNODC’s survey of Peru includes newly monitored areas, so the later figures measure more ground. On the ground surveyed throughout, the area went from 49,800 hectares to 61,800 hectares in 2020, a change of 24%, against 86% to the latest survey. How much of the later rise in coca is new planting rather than new coverage the national totals cannot tell.',
        'The coca survey’s coverage does not change over these years.'),
    ('06-outlook', 'domestic_market_sentence'): (
        'The surveys differ in method or ages, so no change can be read from them as growth of the market.',
        'The surveys differ in method or ages, so no change can be read from them as growth of the market.'),
    ('06-outlook', 'eradication_finding'): (
        'Peru’s coca area shrank while eradication was at its height and was back at its earlier level by 2020 on the ground surveyed throughout; the higher figures since 2021 include newly monitored areas.',
        'Peru’s eradication campaign reached its height at the end of the data, so what followed cannot be seen.'),
    ('06-outlook', 'eradication_sentence'): (
        'Within a few years the area under coca was larger than in the year of the campaign.',
        'The data end with that campaign, so what followed cannot be seen.'),
    ('06-outlook', 'escalation_sentence'): (
        'By the latest year the rate had risen, by less than the rise of 50% or more that this report reads into ‘dangerous escalation’ (the article gives no number). Whether and how much it rose depends on the end year: measured to each year since, the change runs from −14 to 27%.',
        'The data end in the article’s year, so its forecast cannot be checked yet.'),
    ('06-outlook', 'outlier_trend_sentence'): (
        'On the latest data the outlier finding is weaker. On the World Bank series (the only series that reaches 2021), Peru is an outlier in 1 of 36 specifications for 2021 (3%: “not shown” by the report’s rule), against 18 of 36 on the same series for 2012 (50%: “fragile”); in the years between, the share ran from 8 to 36%.',
        'On the latest data the outlier verdict is unchanged. On the World Bank series and IHME’s modelled series (the series that reach 2013), Peru is an outlier in 47 of 72 specifications for 2013 (65%: “mostly” by the report’s rule), against 52 of 72 on the same series for 2012 (72%: “mostly”).'),
    ('06-outlook', 'paradox_status_sentence'): (
        'The data say Peru grew more coca than any other country in 2012–2013, with a published homicide rate below the South American median. Colombia has since overtaken Peru as the largest grower. Whether that is a paradox still depends on the homicide count.',
        'The data say Peru grew more coca than any other country in 2012–2013, with a published homicide rate below the South American median. Whether that is a paradox still depends on the homicide count.'),
    ('06-outlook', 'peru_surveys'): (
        '0.5% (2006; range 0.3–0.6%) in a household survey of ages 15–64, 0.4% (2010) in a household survey of ages 12–65 and 1.0% (2017; range 0.2–1.8%) in a school survey of ages 15–64',
        '0.5% (2006; range 0.3–0.6%) in a household survey of ages 15–64 and 0.4% (2010) in a household survey of ages 12–65'),
    ('06-outlook', 'police_sentence'): (
        'UNODC’s police series put Peru’s rate at 9.6 per 100,000 (2012); it ends there and counts differently from the World Bank’s, so it cannot measure the change, but the latest World Bank rate is below it.',
        'UNODC’s police series put Peru’s rate at 9.6 per 100,000 (2012); it ends there and counts differently from the World Bank’s, so it cannot measure the change, but the latest World Bank rate is below it.'),
    ('a1-data-methods', 'coca_rule_sentence'): (
        'Peru has both measures for 2011–2020.',
        'Peru has both measures for 2011–2013.'),
    ('a1-data-methods', 'level'): (
        '95%',
        '95%'),
    ('a1-data-methods', 'mc_readings'): (
        'drug earnings uniform between the stated floor and 2 times it (“well over”); the gold-to-drugs multiple uniform between 0.85 times the stated multiple and the multiple itself (“almost”); the total uniform over its stated range.',
        'drug earnings uniform between the stated floor and 2 times it (“well over”); the gold-to-drugs multiple uniform between 0.85 times the stated multiple and the multiple itself (“almost”); the total uniform over its stated range.'),
    ('a1-data-methods', 'model_spec_sentence'): (
        'The headline model is a Poisson GLM (homicides ~ x_drugs + C(year)), log population offset, errors clustered by country; n = 715 country-years, 34 countries, 1995–2023; Peru excluded from the fit. The complicity model adds corruption and its interaction with drug intensity: Poisson GLM (homicides ~ xd * xc + C(year)), log population offset, errors clustered by country; n = 520 country-years, 34 countries, 1996–2019; Peru excluded from the fit.',
        'The headline model is a Poisson GLM (homicides ~ x_drugs + C(year)), log population offset, errors clustered by country; n = 504 country-years, 33 countries, 1995–2013; Peru excluded from the fit. The complicity model adds corruption and its interaction with drug intensity: Poisson GLM (homicides ~ xd * xc + C(year)), log population offset, errors clustered by country; n = 392 country-years, 33 countries, 1996–2013; Peru excluded from the fit.'),
    ('a1-data-methods', 'not_estimable'): (
        '36 specifications: Peru has no public health series figure (with population and seizures) from 2011.',
        '36 specifications: Peru has no public health series figure (with population and seizures) from 2011.'),
    ('a2-claims', 'complicity_head'): (
        'Unproven',
        'Unproven'),
    ('a2-claims', 'encoding_note'): (
        'Each hedge bounds the value the way the claims table’s encoding column states: “almost”; “as little as”; “as many as”; “at least ... perhaps closer to”; “dangerous escalation”; “estimated”; “just”; “more than”; “one of the safest”; “single largest”; “some”; “well over” are kept as hedges on the number, never dropped to a bare point.',
        'Each hedge bounds the value the way the claims table’s encoding column states: “almost”; “as little as”; “as many as”; “at least ... perhaps closer to”; “dangerous escalation”; “estimated”; “just”; “more than”; “one of the safest”; “single largest”; “some”; “well over” are kept as hedges on the number, never dropped to a bare point.'),
    ('a2-claims', 'misreading_head'): (
        'Untestable with public data',
        'Untestable with public data'),
    ('index.qmd', 'break_even_vs_published'): (
        'That median is below both published counts for 2012, but only narrowly below the World Bank’s count (1,968 homicides).',
        'That median is below both published counts for 2012, but only narrowly below the World Bank’s count (1,968 homicides).'),
    ('index.qmd', 'complicity_head'): (
        'Unproven',
        'Unproven'),
    ('index.qmd', 'interaction_sentence'): (
        'In none of the 36 specifications is the interaction clearly negative (its interval below zero), as the complicity explanation predicts; the intervals are wide, so the data can neither show that corruption weakens the link between drugs and violence nor rule it out.',
        'In none of the 36 specifications is the interaction clearly negative (its interval below zero), as the complicity explanation predicts; the intervals are wide, so the data can neither show that corruption weakens the link between drugs and violence nor rule it out.'),
    ('index.qmd', 'latest_lead'): (
        'On the latest data there is little paradox left:',
        'On the latest data the paradox holds:'),
    ('index.qmd', 'lead_sentence'): (
        'Peru’s lead over Colombia was 1,800 hectares, 4% of Colombia’s area.',
        'Peru’s lead over Colombia was 1,800 hectares, 4% of Colombia’s area.'),
    ('index.qmd', 'misreading_head'): (
        'Untestable with public data',
        'Untestable with public data'),
    ('index.qmd', 'outlier_word'): (
        'fragile',
        'fragile'),
    ('index.qmd', 'police_clears_ci_word'): (
        'fragile',
        'fragile'),
    ('index.qmd', 'police_clears_word'): (
        'robust',
        'mostly'),
    ('index.qmd', 'producer_sentence'): (
        'Peru was the largest grower of coca when the article was written, but it no longer is.',
        'Peru was the largest grower of coca when the article was written, and still is.'),
    ('index.qmd', 'safety_sentence'): (
        'In 2021 its homicide rate put it about at the South American median: neither among the safest countries of the continent nor among its most violent.',
        'In 2013 its homicide rate put it among the safest third of the continent.'),
    ('index.qmd', 'seen_lead_sentence'): (
        'In the latest survey the authors could have seen, which country led depends on the measure read.',
        'In the latest survey the authors could have seen, which country led depends on the measure read.'),
    ('index.qmd', 'outlier_trend_short'): (
        'on the World Bank series, the only one reaching 2021, Peru is an outlier in 1 of 36 specifications for 2021, against 18 of 36 for 2012.',
        'on the World Bank series and IHME’s modelled series, the ones reaching 2013, Peru is an outlier in 47 of 72 specifications for 2013, against 52 of 72 for 2012.'),
}


def _sentences(bundles: dict) -> dict:
    """Every data-chosen sentence (a Branch) of the bundles, machine values left out."""
    return {(stem, n): getattr(b, n).text for stem, b in bundles.items() for n in b.names()
            if isinstance(getattr(b, n), Branch) and (stem, n) not in MACHINE}


@pytest.mark.parametrize("which", ["full", "cut"])
def test_every_data_chosen_sentence_reads_as_pinned(which, book_bundles, cut_bundles):
    got = _sentences(book_bundles if which == "full" else cut_bundles)
    want = {key: texts[0 if which == "full" else 1] for key, texts in SENTENCES.items()}
    assert set(got) == set(want), "a data-chosen sentence was added or removed: update SENTENCES"
    wrong = {k: {"now": got[k], "pinned": want[k]} for k in want if got[k] != want[k]}
    assert not wrong, f"{which} data: sentences differ from SENTENCES: {wrong}"


def _latest_leader_name() -> str:
    """The largest coca grower of the latest year, read from the CSV files with pandas."""
    coca = pd.read_csv(ROOT / "data" / "coca_cultivation.csv")
    names = pd.read_csv(ROOT / "data" / "countries.csv").set_index("iso3")["name"]
    head = coca.loc[coca["headline"]]
    latest = head.loc[head["year"] == head["year"].max()]
    return str(names[latest.sort_values("hectares").iloc[-1]["iso3"]])


def test_the_overtaking_sentence_names_the_latest_leader(book_bundles):
    # 2023 headline areas: Colombia 252,600 ha, Peru 92,800 ha, Bolivia 31,000 ha.
    leader = _latest_leader_name()
    assert leader == "Colombia"
    p = book_bundles["01-paradox"]
    assert p.claim_status_sentence.text == (
        f"On this measure the article\u2019s claim no longer holds: {leader} has overtaken Peru.")
    assert p.leader_latest_sentence.text == f"{leader} grew more coca than Peru."


@pytest.mark.parametrize("est, text", [
    # a closed range keeps its hedge in front: the article's "perhaps" is part of the claim
    (Estimate(None, 5e9, 1e10, unit="usd", hedge="perhaps"), "perhaps $5\u201310 billion"),
    (Estimate(5e9, 5e9, 7e9, unit="usd", hedge="at least"), "at least $5\u20137 billion"),
    (Estimate(None, 3000, 10000, unit="homicides", hedge="some"),
     "some 3,000\u201310,000 homicides"),
    # without a hedge, the range alone; an open end reads "at least" / "at most"
    (Estimate(None, 5e9, 7e9, unit="usd"), "$5\u20137 billion"),
    (Estimate(None, 5e9, None, unit="usd"), "at least $5 billion"),
    (Estimate(None, None, 5e9, unit="usd"), "at most $5 billion"),
    (Estimate(None, None, 5e9, unit="usd", hedge="as much as"), "as much as $5 billion"),
    (Estimate(1968, unit="homicides", hedge="about"), "about 1,968 homicides"),
])
def test_hedges_survive_formatting(est, text):
    assert str(est) == text
